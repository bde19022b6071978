"""Issue 13, faults, in a real browser: a full disk says so next to the photo field (and keeps
what was typed), and the database away shows the styled 503 page; then all works again.
axe-core on both."""
import errno

import peewee
from PIL import Image
from playwright.sync_api import expect

from models import User, db
from services import storage
from tests.browser.conftest import check_a11y, rich_text, snap_widths
from tests.browser.test_foundation import log_in

NO_ROOM = ("The server has no room for this file now; nothing was saved. Try again later or "
           "tell your support service.")


def test_a_full_disk_and_a_database_away_are_explained(page, tmp_path, monkeypatch):
    photo = tmp_path / "me.png"
    Image.new("RGB", (240, 300), "teal").save(photo, "PNG")
    ana = User.get(User.email == "ana.garcia@demo.opentwin.eu")
    log_in(page, ana.email)
    page.get_by_role("button", name="English").click()
    page.goto("/live/profile/edit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(storage.os, "fsync", full)  # the server runs in this process
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    rich_text(page, "What I can offer").fill("Kept while the disk is full")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#photo-error")).to_contain_text(NO_ROOM)
    expect(rich_text(page, "What I can offer")).to_have_text("Kept while the disk is full")
    check_a11y(page, "faults-full-disk")
    snap_widths(page, "faults-full-disk")
    monkeypatch.undo()

    real_connect = db.obj.connect

    def away(*args, **kwargs):
        raise peewee.OperationalError("could not connect to server: Connection refused")
    monkeypatch.setattr(db.obj, "connect", away)
    db.close()
    page.goto("/live/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The service is busy for a moment")
    expect(page.get_by_text("What you saved before is safe.")).to_be_visible()
    check_a11y(page, "faults-503")
    snap_widths(page, "faults-503")
    monkeypatch.setattr(db.obj, "connect", real_connect)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    assert User.get_by_id(ana.id).photo_id == ana.photo_id  # the refused photo changed nothing
