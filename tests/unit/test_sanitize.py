"""services/sanitize.py: the allowlist, and that cleaning twice changes nothing."""
import pytest

from services.sanitize import clean_html, linkify_text


@pytest.mark.parametrize("dirty, forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<p hx-get="/admin" hx-trigger="load">x</p>', "hx-get"),
    ('<p data-hx-get="/admin">x</p>', "data-hx"),
    ("<svg><script>alert(1)</script></svg>", "<svg"),
    ("<math><mi>x</mi></math>", "<math"),
    ("<style>body{}</style>", "<style"),
    ("<iframe src='https://example.org'></iframe>", "<iframe"),
    ("<form action='/x'><button>x</button></form>", "<form"),
    ("<noscript><p>x</p></noscript>", "<noscript"),
    ('<p style="position:fixed">x</p>', "style="),
])
def test_dangerous_markup_is_removed(dirty, forbidden):
    assert forbidden not in clean_html(dirty)


def test_allowed_markup_is_kept():
    html = ('<p lang="fr">Bonjour <strong>tout</strong> le <a href="https://example.org">'
            'monde</a></p><ul><li>un</li></ul>')
    assert clean_html(html) == html


@pytest.mark.parametrize("html", [
    "<p>a &amp; b</p>", "<p>x<script>y</script>z</p>", "a < b > c", "<b><i>x</b></i>",
    '<a href="mailto:x@example.org">m</a>', "<p>&lt;script&gt;</p>",
])
def test_cleaning_twice_changes_nothing(html):
    once = clean_html(html)
    assert clean_html(once) == once


def test_linkify_escapes_text_and_links_addresses():
    out = str(linkify_text("Go to http://127.0.0.1:5000/auth/confirm/x.y <b>now</b>"))
    assert '<a href="http://127.0.0.1:5000/auth/confirm/x.y" rel="nofollow">' in out
    assert "&lt;b&gt;now&lt;/b&gt;" in out


def test_linkify_does_not_link_other_schemes():
    out = str(linkify_text("javascript:alert(1) and ftp://example.org"))
    assert "<a" not in out


def test_a_link_keeps_a_material_reference_of_digits_only():
    """`data-material` (a text's reference to a material of its space) is the one data-*
    attribute kept: on a link, with 1 to 10 ASCII digits; stable when cleaned again."""
    for html in ('<p><a data-material="12">▶ Film</a></p>',
                 '<a title="x" data-material="7" lang="fr">t</a>'):
        assert clean_html(html) == html
        assert clean_html(clean_html(html)) == html


@pytest.mark.parametrize("dirty", [
    '<a data-material="12x">t</a>', '<a data-material="1 2">t</a>',
    '<a data-material="">t</a>', '<a data-material=" 12">t</a>',
    '<a data-material="javascript:alert(1)">t</a>', '<a data-material="&#49;&#50;x">t</a>',
    '<a data-material="١٢">t</a>',  # digits, but not ASCII ones
    '<a data-material="12345678901">t</a>',  # longer than any id
    '<p data-material="12">t</p>', '<img src="/files/1" alt="a" data-material="12">',
    '<a data-materials="12">t</a>', '<a data-hx-get="/x" data-material="1x">t</a>',
])
def test_other_material_references_are_dropped(dirty):
    cleaned = clean_html(dirty)
    assert "data-" not in cleaned
    assert clean_html(cleaned) == cleaned
