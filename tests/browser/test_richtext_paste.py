"""Pasting into the visual editor (issue 14): Word, Google Docs and LibreOffice clipboard HTML
keeps its structure and loses its styles; known XSS payloads, pasted or typed, are stored safe
and run nothing; a pasted picture file is refused with a way to the materials; axe-clean with
the link dialog open.

Chromium takes a synthetic paste: a `ClipboardEvent("paste")` built with a `DataTransfer`
that holds the clipboard's types reaches Squire's paste handler, which reads
`clipboardData.items` like a real one (the text via `getAsString`, so the paste lands a moment
later: the tests wait for the textarea the editor writes to). A picture file goes in with
`DataTransfer.items.add(new File(…, {type: "image/png"}))`.

The clipboard samples are kept as the programs write them (long lines included).
"""
import html as htmllib
import re

from playwright.sync_api import expect

from models import Page, Project
from services.sanitize import clean_html
from tests.browser.conftest import check_a11y
from tests.browser.test_foundation import log_in
from tests.views.test_xss_fields import EVENT_HANDLER, FORBIDDEN, PAYLOADS, assert_safe

WORD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List href="file:///C:/Users/ana/AppData/Local/Temp/msohtmlclip1/01/clip_filelist.xml">
<style>
<!--
 /* Font Definitions */
 @font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;
	mso-font-charset:0;}
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;
	mso-style-qformat:yes;
	margin:0cm;
	font-size:12.0pt;
	font-family:"Calibri",sans-serif;}
p.MsoListParagraphCxSpFirst, li.MsoListParagraphCxSpFirst
	{mso-style-priority:34;
	mso-style-type:export-only;
	margin-left:36.0pt;
	mso-add-space:auto;}
span.MsoCommentReference
	{mso-style-priority:99;
	mso-ansi-font-size:8.0pt;}
 /* List Definitions */
 @list l0
	{mso-list-id:1084111171;
	mso-list-type:hybrid;}
@list l0:level1
	{mso-level-number-format:bullet;
	mso-level-text:\\F0B7;
	mso-level-tab-stop:none;
	mso-level-number-position:left;
	text-indent:-18.0pt;
	font-family:Symbol;}
@list l1
	{mso-list-id:1390222370;
	mso-list-type:hybrid;}
@list l1:level1
	{mso-level-tab-stop:none;
	mso-level-number-position:left;
	text-indent:-18.0pt;}
@list l2
	{mso-list-id:1922301447;
	mso-list-type:hybrid;}
@list l2:level1
	{mso-level-number-format:alpha-lower;
	mso-level-text:"%1\\)";
	mso-level-suffix:none;
	mso-level-tab-stop:none;
	mso-level-number-position:left;
	text-indent:-18.0pt;}
-->
</style>
</head>

<body lang=EN-GB style='tab-interval:36.0pt;word-wrap:break-word'>
<!--StartFragment-->

<h1 style='margin-top:12.0pt;mso-outline-level:1;color:#2F5496'><span lang=EN-GB
style='font-family:"Calibri Light",sans-serif;mso-ascii-theme-font:major-latin;color:#2F5496'>Title<o:p></o:p></span></h1>

<p class=MsoNormal><b><span style='font-family:"Comic Sans MS";color:red'>Bold</span></b><span
style='font-family:"Comic Sans MS"'> and a <a href="https://example.org/">link</a><o:p></o:p></span></p>

<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:Symbol'><span
style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>one<o:p></o:p></p>

<p class=MsoListParagraphCxSpMiddle style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:Symbol'><span
style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>two<o:p></o:p></p>

<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:Symbol'><span
style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>three<o:p></o:p></p>

<p class=MsoNormal><o:p>&nbsp;</o:p></p>

<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='mso-bidi-font-family:Calibri;mso-bidi-theme-font:minor-latin'><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>First step<o:p></o:p></p>

<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='mso-bidi-font-family:Calibri;mso-bidi-theme-font:minor-latin'><span
style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>Second step<o:p></o:p></p>

<p class=MsoNormal>On the day:<o:p></o:p></p>

<p class=MsoListParagraphCxSpFirst style='margin-left:18.0pt;mso-add-space:auto;
text-indent:-18.0pt;mso-list:l2 level1 lfo3'><![if !supportLists]><span
style='mso-list:Ignore'>a)</span><![endif]>Boots<o:p></o:p></p>

<p class=MsoListParagraphCxSpLast style='margin-left:18.0pt;mso-add-space:auto;
text-indent:-18.0pt;mso-list:l2 level1 lfo3'><![if !supportLists]><span
style='mso-list:Ignore'>b)</span><![endif]>Gloves<o:p></o:p></p>

<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0
 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;
 mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt;
  background:#D9E2F3;padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal><b>River<o:p></o:p></b></p>
  </td>
  <td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt;
  border-left:none;background:#D9E2F3;padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal><b>Length<o:p></o:p></b></p>
  </td>
 </tr>
 <tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'>
  <td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt;
  border-top:none;padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal><span style='color:#C00000'>Ebro<o:p></o:p></span></p>
  </td>
  <td width=301 valign=top style='width:225.4pt;border-top:none;border-left:
  none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt;
  padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal>910 km<o:p></o:p></p>
  </td>
 </tr>
</table>

<p class=MsoNormal>The river is <del cite="mailto:Ana%20Garc%C3%ADa"
datetime="2024-03-12T10:16"><span style='color:#7030A0'>very </span></del>long<a
style='mso-comment-reference:AG_1;mso-comment-date:20240312T1015'></a><span
class=MsoCommentReference><span style='font-size:8.0pt'><a class=msocomanchor
id="_anchor_1" onmouseover="msoCommentShow('_anchor_1','_com_1')"
onmouseout="msoCommentHide('_com_1')" href="#_msocom_1" language=JavaScript
name="_msoanchor_1">[AG1]</a>&nbsp;</span></span>.<o:p></o:p></p>

<div style='mso-element:comment-list'><![if !supportAnnotations]>

<hr class=msocomoff align=left size=1 width="33%">

<![endif]>

<div style='mso-element:comment'><![if !supportAnnotations]>

<div id="_com_1" class=msocomtxt language=JavaScript
onmouseover="msoCommentShow('_anchor_1','_com_1')"
onmouseout="msoCommentHide('_com_1')"><![endif]>

<div><![if !supportAnnotations]><a name="_msocom_1"></a><![endif]>

<p class=MsoCommentText><span class=MsoCommentReference><span
style='font-size:8.0pt'><span style='mso-special-character:comment'>&nbsp;<a
href="#_msoanchor_1" class=msocomoff>[AG1]</a></span></span></span>Check this
number with the map.<o:p></o:p></p>

</div>

<![if !supportAnnotations]></div>

<![endif]></div>

</div>

<!--EndFragment-->
</body>

</html>
"""
WORD_TEXT = ("Title\nBold and a link\n·       one\n·       two\n·       three\n \n1.     First "
             "step\n2.     Second step\nOn the day:\na)Boots\nb)Gloves\nRiver\tLength\n"
             "Ebro\t910 km\nThe river is long[AG1] .")

DOCS = ('<meta charset="utf-8"><b style="font-weight:normal;" '
        'id="docs-internal-guid-3f1c2a7e-7fff-1b2c-9d8e-0a1b2c3d4e5f">'
        '<h1 dir="ltr" style="line-height:1.38;margin-top:20pt;margin-bottom:6pt;">'
        '<span style="font-size:20pt;font-family:Arial,sans-serif;color:#000000;'
        'background-color:transparent;font-weight:400;font-style:normal;font-variant:normal;'
        'text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">'
        'Heading</span></h1>'
        '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;">'
        '<span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;'
        'background-color:transparent;font-weight:700;font-style:normal;font-variant:normal;'
        'text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">'
        'bold</span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;'
        'background-color:transparent;font-weight:400;font-style:normal;font-variant:normal;'
        'text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">'
        ' and </span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;'
        'background-color:transparent;font-weight:400;font-style:italic;font-variant:normal;'
        'text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">'
        'italic</span><span style="font-size:11pt;font-family:Arial,sans-serif;'
        'color:#000000;font-weight:400;white-space:pre-wrap;"> with </span>'
        '<a href="https://example.org/docs" style="text-decoration:none;">'
        '<span style="font-size:11pt;font-family:Arial,sans-serif;color:#1155cc;'
        'background-color:transparent;font-weight:400;font-style:normal;font-variant:normal;'
        'text-decoration:underline;-webkit-text-decoration-skip:none;'
        'text-decoration-skip-ink:none;vertical-align:baseline;white-space:pre;'
        'white-space:pre-wrap;">a link</span></a></p>'
        '<ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;">'
        '<li dir="ltr" style="list-style-type:disc;font-size:11pt;font-family:Arial,sans-serif;'
        'color:#000000;background-color:transparent;font-weight:400;font-style:normal;'
        'font-variant:normal;text-decoration:none;vertical-align:baseline;white-space:pre;"'
        ' aria-level="1"><p dir="ltr" style="line-height:1.38;margin-top:0pt;'
        'margin-bottom:0pt;" role="presentation"><span style="font-size:11pt;'
        'font-family:Arial,sans-serif;color:#000000;background-color:transparent;'
        'font-weight:400;white-space:pre-wrap;">item</span></p></li>'
        '<li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1">'
        '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;" '
        'role="presentation"><span style="font-size:11pt;font-family:Arial,sans-serif;'
        'color:#000000;font-weight:400;white-space:pre-wrap;">another</span></p></li></ul>'
        '<ol style="margin-top:0;margin-bottom:0;padding-inline-start:48px;">'
        '<li dir="ltr" style="list-style-type:decimal;font-size:11pt;" aria-level="1">'
        '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;" '
        'role="presentation"><span style="font-size:11pt;font-family:Arial,sans-serif;'
        'color:#000000;font-weight:400;white-space:pre-wrap;">first</span></p></li></ol>'
        '<br><div dir="ltr" style="margin-left:0pt;" align="left"><table '
        'style="border:none;border-collapse:collapse;"><colgroup><col width="100"></colgroup>'
        '<tbody><tr style="height:0pt"><td style="border-left:solid #000000 1pt;'
        'border-right:solid #000000 1pt;vertical-align:top;padding:5pt 5pt 5pt 5pt;'
        'overflow:hidden;overflow-wrap:break-word;"><p dir="ltr" style="line-height:1.2;'
        'margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;'
        'font-family:Arial,sans-serif;color:#000000;font-weight:400;white-space:pre-wrap;">'
        'cell</span></p></td></tr></tbody></table></div></b>'
        '<br class="Apple-interchange-newline">')
DOCS_TEXT = "Heading\nbold and italic with a link\n* item\n* another\n1. first\n\ncell"

LIBREOFFICE = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">
<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"/><title></title>
<meta name="generator" content="LibreOffice 7.4.7.2 (Linux)"/>
<style type="text/css">
@page { size: 21cm 29.7cm; margin: 2cm }
p { line-height: 115%; margin-bottom: 0.25cm; background: transparent }
h1 { margin-bottom: 0.21cm; background: transparent; page-break-after: avoid }
h1.western { font-family: "Liberation Serif", serif; font-size: 24pt; font-weight: bold }
a:link { color: #000080; so-language: zxx; text-decoration: underline }
</style>
</head>
<body lang="en-GB" link="#000080" vlink="#800000" dir="ltr"><h1 class="western"><font face="Liberation Serif"><font size="6" style="font-size: 24pt">Rivers of Europe</font></font></h1>
<p style="line-height: 100%; margin-bottom: 0cm"><font color="#c9211e"><font face="Comic Sans MS"><b>Bold red</b></font></font> and <i>slanted</i> with <a href="https://example.org/lo">a link</a>.</p>
<ul>
	<li><p style="line-height: 100%; margin-bottom: 0cm">first</p></li>
	<li><p style="line-height: 100%; margin-bottom: 0cm">second</p></li>
</ul>
<ol>
	<li><p style="line-height: 100%; margin-bottom: 0cm">step one</p></li>
</ol>
<table width="100%" cellpadding="4" cellspacing="0">
	<col width="128*"/>
	<tr valign="top">
		<td width="50%" style="border: 1px solid #000000; padding: 0.1cm"><p>cell</p></td>
	</tr>
</table>
<p style="line-height: 100%; margin-bottom: 0cm">Footnote here<a class="sdfootnoteanc" name="sdfootnote1anc" href="#sdfootnote1sym"><sup>1</sup></a>.</p>
<div id="sdfootnote1"><p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote1sym" href="#sdfootnote1anc">1</a>The footnote text.</p></div>
</body>
</html>"""
LIBREOFFICE_TEXT = ("Rivers of Europe\nBold red and slanted with a link.\n• first\n• second\n"
                    "1. step one\ncell\nFootnote here1.")

# Pinned: what the server stores for each sample pasted over the whole text.
WORD_STORED = (
    '<h2>Title</h2><p><b>Bold</b> and a <a href="https://example.org/">link</a></p>'
    '<ul><li>one</li><li>two</li><li>three</li></ul>'
    '<ol><li>First step</li><li>Second step</li></ol>'
    '<p>On the day:</p><ol><li>Boots</li><li>Gloves</li></ol>'
    '<table><tbody><tr><td><p><b>River</b></p></td><td><p><b>Length</b></p></td></tr>'
    '<tr><td><p>Ebro</p></td><td><p>910 km</p></td></tr></tbody></table>'
    '<p>The river is long.</p>')
DOCS_STORED = (
    '<h2>Heading</h2><p><b>bold</b> and <i>italic</i> with '
    '<a href="https://example.org/docs">a link</a></p>'
    '<ul><li><p>item</p></li><li><p>another</p></li></ul><ol><li><p>first</p></li></ol>'
    '<table><tbody><tr><td><p>cell</p></td></tr></tbody></table>')
LIBREOFFICE_STORED = (
    '<h2>Rivers of Europe</h2><p><b>Bold red</b> and <i>slanted</i> with '
    '<a href="https://example.org/lo">a link</a>.</p>'
    '<ul><li><p>first</p></li><li><p>second</p></li></ul><ol><li><p>step one</p></li></ol>'
    '<table><tbody><tr><td><p>cell</p></td></tr></tbody></table><p>Footnote here.</p>')

# Payloads of our own that would set window.__xss if any of their code ran.
FLAGS = [
    '<img src=x onerror="window.__xss=1">',
    '<details open ontoggle="window.__xss=2"><summary>s</summary>d</details>',
    '<svg><animate onbegin="window.__xss=3" attributeName=x dur=1s></animate></svg>',
    '<body onload="window.__xss=4"><p>b</p>',
    '<video><source onerror="window.__xss=5"></video>',
    '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
    '<a href="javascript:window.__xss=7" data-material="1">m</a>',
    '<p><img src="/files/1/w480" alt="f" onload="window.__xss=8"></p>',
]

PASTE = """([html, text, file]) => {
  const editor = document.querySelector("#body-editor");
  const data = new DataTransfer();
  if (file) {
    const bytes = Uint8Array.from(atob(file), c => c.charCodeAt(0));
    data.items.add(new File([bytes], "river.png", {type: "image/png"}));
  }
  if (html !== null) { data.setData("text/html", html); }
  if (text !== null) { data.setData("text/plain", text); }
  return editor.dispatchEvent(new ClipboardEvent("paste",
    {clipboardData: data, bubbles: true, cancelable: true}));
}"""
# A 1×1 PNG.
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAAB"
       "JRU5ErkJggg==")


def rivers():
    space = Project.get(Project.title == "Our rivers, year two").space
    return space, Page.get((Page.space == space) & (Page.title == "Our river guide"))


def log_in_teacher(new_page):
    teacher = new_page()
    log_in(teacher, "ana.garcia@demo.opentwin.eu")
    teacher.get_by_role("button", name="English").click()
    expect(teacher.get_by_role("button", name="Log out")).to_be_visible()
    return teacher


def open_editor(page, address):
    page.goto(address)
    expect(page.locator("[data-richtext].richtext--ready")).to_be_visible()
    editor = page.get_by_role("textbox", name="Text")
    # Focus, not a click: a click may land on a picture of the text, which Squire selects
    # for resizing (and then Ctrl+A selects nothing).
    editor.focus()
    return editor


def clear(page):
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.wait_for_function("document.querySelector('#body').value === ''")


def paste(page, html, text, marker=None):
    """Paste at the caret; wait until the textarea the editor writes to holds `marker`."""
    taken = not page.evaluate(PASTE, [html, text, None])
    assert taken, "the editor did not take the paste"
    if marker:
        page.wait_for_function("m => document.querySelector('#body').value.includes(m)",
                               arg=marker)


def value(page):
    return page.locator("#body").input_value()


def save(page, guide):
    page.get_by_role("button", name="Save the page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(guide.title)
    expect(page.get_by_text("The page is saved.")).to_be_visible()
    return Page.get_by_id(guide.id).body


def without_materials(html):
    """A link's reference to a material (digits) is the one data- attribute the server keeps;
    FORBIDDEN counts any "data-", so it is taken out before assert_safe."""
    return re.sub(r'<a data-material="[0-9]{1,10}">', "<a>", html)


def watch_for_scripts(page):
    """Record every alert, confirm or prompt the page opens."""
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()
    page.on("dialog", on_dialog)
    return dialogs


def no_script_ran(page, dialogs):
    assert dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_word_docs_and_libreoffice_keep_their_structure_and_lose_their_styles(
        new_page, space_url):
    """Each sample is pasted over the whole text (Ctrl+A), saved and read back."""
    space, guide = rivers()
    teacher = log_in_teacher(new_page)
    edit = space_url(space, "page_edit", page_id=guide.id)
    samples = [("Word", WORD, WORD_TEXT, "Second step", WORD_STORED),
               ("Google Docs", DOCS, DOCS_TEXT, "cell", DOCS_STORED),
               ("LibreOffice", LIBREOFFICE, LIBREOFFICE_TEXT, "Footnote here", LIBREOFFICE_STORED)]
    for name, html, text, marker, expected in samples:
        open_editor(teacher, edit)
        teacher.keyboard.press("Control+A")
        paste(teacher, html, text, marker)
        stored = save(teacher, guide)
        lowered = stored.lower()
        for kept in ("<h2>", "<li>", "<b>", '<a href="https://example.org', "<table>", "<td>"):
            assert kept in stored, (name, kept, stored)
        assert "<ul>" in stored and "<ol>" in stored, (name, stored)
        for gone in ("style=", "class=", "font-family", "color", "mso-", "o:p", "<span",
                     "<font", "<div", "<h1", "comic sans", "check this number", "very ",
                     "[ag1]", "footnote text", "<u>", "<col", "<br>", "dir=", "id="):
            assert gone not in lowered, (name, gone, stored)
        assert clean_html(stored) == stored
        assert stored == expected, name
        # The saved page shows it as a heading, a list and a table.
        prose = teacher.locator(".prose")
        expect(prose.get_by_role("heading", level=2).first).to_be_visible()
        expect(prose.get_by_role("list").first).to_be_visible()
        expect(prose.get_by_role("table")).to_be_visible()


def test_xss_payloads_pasted_into_the_editor_are_stored_safe_and_run_nothing(
        new_page, space_url):
    space, guide = rivers()
    teacher = log_in_teacher(new_page)
    dialogs = watch_for_scripts(teacher)
    open_editor(teacher, space_url(space, "page_edit", page_id=guide.id))
    clear(teacher)
    # A table payload last: Enter in a table cell stays in the cell.
    payloads = sorted(PAYLOADS + FLAGS, key=lambda payload: payload.startswith("<table"))
    for n, payload in enumerate(payloads):
        paste(teacher, payload, payload)
        # A plain-text paste after it: when its marker is in the textarea, the payload's
        # paste (queued before it) is done.
        paste(teacher, None, f"end of paste {n}.", f"end of paste {n}.")
        teacher.keyboard.press("Enter")
    # What the editor itself puts in the form is already clean of the dangerous parts.
    written = value(teacher)
    for n, payload in enumerate(payloads):
        start = written.index(f"end of paste {n - 1}.") if n else 0
        part = without_materials(written[start:written.index(f"end of paste {n}.")])
        for bad in FORBIDDEN:
            assert bad not in part.lower(), (payload, part, bad)
        assert not EVENT_HANDLER.search(part), (payload, part)
    no_script_ran(teacher, dialogs)
    stored = save(teacher, guide)
    assert_safe(without_materials(stored), "every payload, pasted")
    assert clean_html(stored) == stored
    assert '<a data-material="1">m</a>' in stored
    for n in range(len(payloads)):
        assert f"end of paste {n}." in stored
    # The safe parts of the payloads survive.
    assert '<a href="https://ok.example/?a=1&amp;b=2">fine</a>' in stored
    assert '<a href="https://ok.example">ok</a>' in stored
    no_script_ran(teacher, dialogs)
    teacher.reload()
    expect(teacher.get_by_text("end of paste 0.")).to_be_visible()
    no_script_ran(teacher, dialogs)


def test_xss_payloads_typed_into_the_editor_are_stored_as_text(new_page, space_url):
    space, guide = rivers()
    teacher = log_in_teacher(new_page)
    dialogs = watch_for_scripts(teacher)
    open_editor(teacher, space_url(space, "page_edit", page_id=guide.id))
    clear(teacher)
    payloads = PAYLOADS + FLAGS
    for payload in payloads:
        for n, line in enumerate(payload.split("\n")):
            if n:
                teacher.keyboard.press("Enter")
            teacher.keyboard.insert_text(line)
        teacher.keyboard.press("Enter")
    teacher.wait_for_function("m => document.querySelector('#body').value.includes(m)",
                              arg=htmllib.escape(payloads[-1], quote=False))
    no_script_ran(teacher, dialogs)
    stored = save(teacher, guide)
    # Typed HTML is text: the only tags are paragraphs, and the links Squire makes of typed
    # web addresses (on Enter). Text such as "javascript:" is harmless as text, so the
    # markup alone goes through assert_safe.
    tags = set(re.findall(r"<[^>]*>", stored))
    assert {t for t in tags if not t.startswith("<a href=\"https://")} <= {"<p>", "</p>", "</a>"}
    assert_safe(re.sub(r">[^<]+<", "><", stored), "every payload, typed")
    assert clean_html(stored) == stored
    # Escaped in the database, shown as typed on the page.
    text = re.sub(r"<[^>]+>", "", stored).replace("&nbsp;", " ").replace("\u00a0", " ")
    prose = teacher.locator(".prose")
    for payload in payloads:
        for line in payload.split("\n"):
            assert htmllib.escape(line, quote=False) in text, (payload, stored)
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in stored
    expect(prose).to_contain_text("<script>alert(1)</script>")
    expect(prose).to_contain_text('<img src=x onerror="window.__xss=1">')
    no_script_ran(teacher, dialogs)


def test_a_pasted_picture_is_refused_with_a_way_to_the_materials(new_page, space_url):
    space, guide = rivers()
    teacher = log_in_teacher(new_page)
    editor = open_editor(teacher, space_url(space, "page_edit", page_id=guide.id))
    before = value(teacher)
    message = teacher.locator("[data-richtext-message]")
    expect(message).to_have_attribute("role", "status")
    expect(message).to_be_empty()

    # A picture file (a screenshot), alone on the clipboard.
    assert not teacher.evaluate(PASTE, [None, None, PNG])
    expect(message).to_contain_text("Pictures cannot be pasted into this text. Upload the "
                                    "picture to the materials")
    link = message.get_by_role("link", name="Open the materials")
    expect(link).to_have_attribute("href", space_url(space, "materials"))
    assert value(teacher) == before
    assert editor.locator("img").count() == 1

    # A picture copied from a web page: the file, with HTML naming the picture's address.
    teacher.evaluate("document.querySelector('[data-richtext-message]').textContent = ''")
    assert not teacher.evaluate(
        PASTE, ['<img src="https://example.org/river.png" alt="River">', None, PNG])
    expect(link).to_be_visible()
    assert value(teacher) == before

    # Pasted HTML with a picture from elsewhere: the text comes in, the picture does not.
    teacher.evaluate("document.querySelector('[data-richtext-message]').textContent = ''")
    teacher.keyboard.press("Control+End")
    paste(teacher, '<p>Kept words <img src="https://example.org/river.png" alt="River"></p>',
          "Kept words", "Kept words")
    expect(link).to_be_visible()
    assert "example.org" not in value(teacher)
    link.click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Materials")


def test_the_editor_and_its_link_dialog_pass_axe(new_page, space_url):
    space, guide = rivers()
    teacher = log_in_teacher(new_page)
    editor = open_editor(teacher, space_url(space, "page_edit", page_id=guide.id))
    check_a11y(teacher, "richtext-editor")
    editor.focus()
    expect(editor).to_be_focused()
    # "k", not "K": a capital K is Shift+K to the page.
    teacher.keyboard.press("Control+k")
    dialog = teacher.get_by_role("dialog", name="Link")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Web address")).to_be_focused()
    check_a11y(teacher, "richtext-link-dialog")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
