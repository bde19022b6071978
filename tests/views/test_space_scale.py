"""Busy spaces stay light (issue 15): a group of thousands shows its first members on its home,
an album of hundreds of images and a page with hundreds of versions come a page at a time."""
import datetime

from blueprints.spaces.materials import FOLDER_PAGE
from blueprints.spaces.pages import HISTORY_PAGE
from blueprints.spaces.routes import HOME_MEMBERS
from models import Folder, Material, Membership, PageRevision, SpaceRole, StoredFile, User
from services import pages as page_service
from tests.factories import make_space, make_user


def test_the_home_lists_the_first_members_and_links_to_all(client, login, space_url):
    teacher = make_user(name="Aaron Admin")
    space = make_space(teacher, "group")
    extra = HOME_MEMBERS + 3
    people = [make_user(name=f"Member {n:02d}") for n in range(extra)]
    Membership.insert_many([(space.id, p.id, SpaceRole.MEMBER) for p in people],
                           fields=[Membership.space, Membership.user, Membership.role]).execute()
    login(teacher)
    html = client.get(space_url(space, "home")).get_data(as_text=True)
    assert html.index("Aaron Admin") < html.index("(Member)")  # who runs it comes first
    assert html.count("(Member)") == HOME_MEMBERS - 1  # then the newest members
    shown = [f"Member {n:02d}" for n in range(extra - 1, extra - HOME_MEMBERS, -1)]
    assert [name for name in shown if name in html] == shown
    assert html.index(shown[0]) < html.index(shown[-1])
    assert f"Member {extra - HOME_MEMBERS:02d}" not in html and "Member 00" not in html
    assert f"All {extra + 1} members" in html
    assert f'href="{space_url(space, "members")}"' in html


def test_a_small_space_lists_everybody_without_the_link(client, login, space_url):
    teacher = make_user()
    space = make_space(teacher)
    login(teacher)
    html = client.get(space_url(space, "home")).get_data(as_text=True)
    assert teacher.name in html and "All 1 members" not in html


def _images(space, folder, owner, count):
    files = [StoredFile.create(sha256=f"{n:064x}", size=10, content_type="image/webp",
                               original_name=f"p{n}.jpg", path=f"x/{n}", widths="160",
                               width=160, height=120) for n in range(count)]
    start = datetime.datetime(2026, 1, 1)
    for n, stored in enumerate(files):
        Material.create(space=space, folder=folder, kind="image", title=f"Photo {n + 1:03d}",
                        alt_text=f"Photo {n + 1}", file=stored, created_by=owner,
                        created_at=start + datetime.timedelta(minutes=n))


def test_an_album_comes_a_page_at_a_time(client, login, space_url):
    teacher = make_user()
    space = make_space(teacher)
    album = Folder.create(space=space, kind="image", title="Trip")
    _images(space, album, teacher, FOLDER_PAGE + 2)
    login(teacher)
    first = client.get(space_url(space, "folder", folder_id=album.id)).get_data(as_text=True)
    assert f"{FOLDER_PAGE + 2} images" in first
    assert f"Photo {FOLDER_PAGE:03d}" in first and f"Photo {FOLDER_PAGE + 1:03d}" not in first
    assert "Page 1 of 2" in first and "Next page" in first
    second = client.get(space_url(space, "folder", folder_id=album.id, page=2))
    html = second.get_data(as_text=True)
    assert second.status_code == 200
    assert f"Photo {FOLDER_PAGE + 1:03d}" in html and "Photo 001" not in html
    # The lightbox numbers an image by its place in the whole album, not on this page.
    assert f'data-total="{FOLDER_PAGE + 2}"' in html
    assert f'data-n="{FOLDER_PAGE + 1}"' in html and 'data-n="1"' not in html
    assert 'data-n="1"' in first and f'data-n="{FOLDER_PAGE}"' in first
    # A page past the end shows the last one, not an error.
    late = client.get(space_url(space, "folder", folder_id=album.id, page=99))
    assert late.status_code == 200 and "Page 2 of 2" in late.get_data(as_text=True)


def test_the_album_asks_to_describe_every_undescribed_image_not_just_this_page(
        client, login, space_url):
    teacher = make_user()
    space = make_space(teacher)
    album = Folder.create(space=space, kind="image", title="Trip")
    _images(space, album, teacher, FOLDER_PAGE + 1)
    Material.update(alt_text="").execute()
    login(teacher)
    html = client.get(space_url(space, "folder", folder_id=album.id)).get_data(as_text=True)
    assert f"{FOLDER_PAGE + 1} of your images have no description yet" in html


def test_a_long_history_comes_a_page_at_a_time(client, login, space_url):
    teacher = make_user()
    space = make_space(teacher)
    page = page_service.create(space, teacher.id, "Guide", "<p>v1</p>")
    rows = [(page.id, v, "Guide", f"<p>v{v}</p>", teacher.id)
            for v in range(2, HISTORY_PAGE + 6)]
    PageRevision.insert_many(rows, fields=[PageRevision.page, PageRevision.version,
                                           PageRevision.title, PageRevision.body,
                                           PageRevision.author]).execute()
    page.version = HISTORY_PAGE + 5
    page.save()
    login(teacher)
    address = space_url(space, "page_history", page_id=page.id)
    html = client.get(address).get_data(as_text=True)
    assert f"Version {HISTORY_PAGE + 5}" in html and "Current" in html
    assert "Version 5<" not in html and "Created" not in html
    assert teacher.name in html and "Page 1 of 2" in html
    last = client.get(space_url(space, "page_history", page_id=page.id, page=2))
    html = last.get_data(as_text=True)
    assert "Version 1<" in html and "Created" in html and "Version 6<" not in html


def test_a_deleted_author_reads_as_a_former_member_in_the_history(client, login, space_url):
    teacher, other = make_user(), make_user()
    space = make_space(teacher)
    page = page_service.create(space, other.id, "Guide", "<p>v1</p>")
    User.update(name="", deleted_at=datetime.datetime(2026, 1, 1)).where(
        User.id == other.id).execute()
    login(teacher)
    html = client.get(space_url(space, "page_history", page_id=page.id)).get_data(as_text=True)
    assert "Former member" in html
