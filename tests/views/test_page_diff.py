"""Issue 10.14 (T-3): the difference view shows changes in place, in the page's typography —
<del> struck through, <ins> underlined — with a summary ("3 paragraphs changed"), long runs of
unchanged paragraphs left out, and never any markup from the stored texts."""
from models import PageRevision
from services import pages as page_service
from tests.views.test_pages import new_page

PARAGRAPHS = ["We went to the river on Monday.", "Each group took a bottle.",
              "The water was cold: 9 degrees at the bridge.", "Lucía measured the pH.",
              "Marcos drew a map.", "We saw two herons.", "Back at school we typed it up.",
              "Next week the school in Italy sends theirs."]


def body(paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def revision_url(space_url, page, version):
    revision = PageRevision.get((PageRevision.page == page) & (PageRevision.version == version))
    return space_url(page.space, "page_revision", page_id=page.id, rev_id=revision.id)


def test_changes_are_shown_in_place_with_a_summary(client, login, cast, space_url):
    page = new_page(cast["space"], cast["teacher"], "Water diary", body(PARAGRAPHS))
    changed = list(PARAGRAPHS)
    changed[2] = "The water was cold: 8 degrees at the old bridge."
    del changed[5]  # the herons
    changed[-1] = "Next week the schools in Italy and Greece send theirs."
    page_service.save(page, cast["teacher"].id, "Water diary", body(changed), 1)
    login(cast["teacher"])
    html = client.get(revision_url(space_url, page, 1)).get_data(as_text=True)
    section = html.split('id="changes-title"')[1].split('id="text-title"')[0]
    assert "3 paragraphs changed" in section
    assert '<ul class="diff"' not in section and '<div class="diff">' in section
    # In place, word by word: only "9" went and "8" and "old" came.
    assert ('<p class="diff-changed">The water was cold: <del><span class="visually-hidden">'
            'Removed: </span>9</del><ins><span class="visually-hidden">Added: </span>8</ins>'
            ' degrees at the <ins><span class="visually-hidden">Added: </span>old</ins>'
            ' bridge.</p>') in section
    assert ('<p class="diff-removed"><del><span class="visually-hidden">Removed: </span>'
            'We saw two herons.</del></p>') in section
    # The first paragraph is far from any change: left out, and said so.
    assert "We went to the river" not in section and "1 paragraph unchanged" in section
    assert '<p class="diff-same">Each group took a bottle.</p>' in section


def test_the_diff_never_carries_markup_from_the_texts(client, login, cast, space_url):
    page = new_page(cast["space"], cast["teacher"], "Safe",
                    "<p>Plain &lt;b&gt;text&lt;/b&gt;</p><p>Stays</p>")
    page_service.save(page, cast["teacher"].id, "Safe",
                      '<p>Plain <b onclick="steal()">bold</b> &lt;script&gt;x()&lt;/script&gt;'
                      '<img src=x onerror=alert(1)></p><p>Stays</p>', 1)
    login(cast["teacher"])
    html = client.get(revision_url(space_url, page, 1)).get_data(as_text=True)
    section = html.split('id="changes-title"')[1].split('id="text-title"')[0]
    assert "<b" not in section and "<script" not in section and "<img" not in section
    assert "onclick" not in section and "onerror" not in section
    assert "&lt;script&gt;x()&lt;/script&gt;" in section  # typed text stays text
    assert "&lt;b&gt;text&lt;/b&gt;" in section


def test_only_the_title_changed_and_same_text(client, login, cast, space_url):
    page = new_page(cast["space"], cast["teacher"], "Old name", "<p>Same</p>")
    page_service.save(page, cast["teacher"].id, "New name", "<p><b>Same</b></p>", 1)
    login(cast["teacher"])
    html = client.get(revision_url(space_url, page, 1)).get_data(as_text=True)
    assert "Only the title changed" in html
    assert "<del><span class=\"visually-hidden\">Removed: </span>Old name</del>" in html


def test_revisions_stay_private(client, login, cast, space_url):
    page = new_page(cast["space"], cast["teacher"], "Marks", "<p>A</p>", view_rule="teachers")
    page_service.save(page, cast["teacher"].id, "Marks", "<p>B</p>", 1)
    address = revision_url(space_url, page, 1)
    for user in (cast["pupil"], cast["outsider"]):
        login(user)
        assert client.get(address).status_code == 404
