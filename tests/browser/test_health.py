"""The health page in a real browser (issue 13): central staff follow the staff desk's link,
read the services, the jobs with their next run and the mail queue, and run a job by hand;
axe-core on the page; screenshots at 1280 and 390 px wide."""
import re

from flask import url_for
from playwright.sync_api import expect

from models import JobRun, OutboxMail, Role, utcnow
from tests.browser.conftest import check_a11y, snap_widths as shoot
from tests.browser.test_foundation import log_in
from tests.factories import PASSWORD, make_user


def test_staff_read_the_health_page_and_run_a_job(app, page):
    OutboxMail.create(to_address="a@example.org", subject="Welcome to OpenTwin", body="b",
                      attempts=2, error="ConnectionRefusedError: [Errno 111] refused",
                      next_attempt_at=utcnow())
    staff = make_user(Role.CSS, name="Carla Central")
    log_in(page, staff.email, PASSWORD)
    with app.test_request_context():
        dashboard = url_for("admin.dashboard")
    page.goto(dashboard)
    page.get_by_role("link", name="Health of this instance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health of this instance")
    jobs = page.get_by_role("table", name="Each job with its last and next run")
    expect(jobs.get_by_role("rowheader", name=re.compile("^Search reindexing"))).to_be_visible()
    mail = page.get_by_role("region", name="Mail queue")
    expect(mail).to_contain_text("ConnectionRefusedError")
    check_a11y(page, "health")
    shoot(page, "health")

    page.get_by_role("button", name=re.compile(r"^Run now\s*: Search reindexing$")).click()
    expect(page.get_by_role("status")).to_contain_text("is queued")
    row = jobs.get_by_role("row", name=re.compile("^Search reindexing"))
    expect(row).to_contain_text("search index rebuilt")
    check_a11y(page, "health-after-run")
    assert JobRun.get(JobRun.job == "search_reindex").state == "ok"
