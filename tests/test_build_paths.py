"""The shortcuts taken for speed make the same documents.

A DOCX-only build lays the PDF out for the contents' page numbers but neither tags nor saves
it; a PDF-only build never imports python-docx; fonts are parsed once and shared with
reportlab; DOCX pictures are numbered from a counter; the PDF writer's escapes are written out.
None may change a byte of what is written.
"""

import os
import subprocess
import sys
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import MEDWAY


def test_a_docx_only_build_writes_the_same_docx_as_a_build_of_both(tmp_path, chart_cache, medway_build):
    from assessment.api import build

    alone = build(MEDWAY, tmp_path, ["docx"], cache_dir=chart_cache)
    assert [p.suffix for p in alone] == [".docx"]
    assert alone.paths[0].read_bytes() == medway_build["docx"].read_bytes()


def test_a_pdf_only_build_leaves_the_docx_writer_unimported(tmp_path, chart_cache, medway_build):
    script = ("import sys\nfrom assessment.api import build\n"
              f"(path,) = build({str(MEDWAY)!r}, {str(tmp_path)!r}, ['pdf'], cache_dir={str(chart_cache)!r})\n"
              "print(path)\nprint(sorted(m for m in sys.modules if m == 'docx' or m.startswith(('docx.', 'assessment.render.docx'))))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr
    path, imported = done.stdout.strip().splitlines()
    assert imported == "[]"
    with open(path, "rb") as written:
        assert written.read() == medway_build["pdf"].read_bytes()


def test_a_font_on_an_already_parsed_face_is_what_reportlab_would_make():
    from reportlab.pdfbase.ttfonts import TTFont

    from assessment.render.pdf import _ParsedFont
    from assessment.theme import load_theme, parsed_font, style_path

    font_file = load_theme(style_path("plain")).font_file("bold")
    ours, theirs = _ParsedFont("Bold-x", parsed_font(font_file)), TTFont("Bold-x", font_file)
    assert vars(ours).keys() == vars(theirs).keys()
    for name, value in vars(theirs).items():
        if name == "face":
            assert (ours.face.filename, ours.face.charWidths, ours.face.name) == (value.filename, value.charWidths, value.name)
        elif name in ("encoding", "state"):
            assert type(vars(ours)[name]) is type(value)
        else:
            assert vars(ours)[name] == value, name
    assert ours.stringWidth("Strategic Assessment", 12) == theirs.stringWidth("Strategic Assessment", 12)


def test_an_edited_font_file_is_parsed_again(tmp_path):
    import shutil

    from assessment.theme import load_theme, parsed_font, style_path

    theme = load_theme(style_path("plain"))
    font = tmp_path / "face.ttf"
    shutil.copy(theme.font_file("regular"), font)
    first = parsed_font(str(font))
    assert parsed_font(str(font)) is first
    shutil.copy(theme.font_file("bold"), font)
    assert parsed_font(str(font)).name != first.name


def test_pictures_numbered_by_the_counter_get_python_docx_s_own_ids(medway_build):
    import io

    import docx
    from docx.shared import Pt

    from assessment.render import oxml

    with zipfile.ZipFile(medway_build["docx"]) as parts:
        pngs = [parts.read(n) for n in parts.namelist() if n.endswith(".png")][:3]
    assert len(pngs) >= 2

    def document(add):
        made = docx.Document()
        made.add_paragraph("before")
        for i, png in enumerate(pngs * 2):
            add(made.add_paragraph().add_run(), png, Pt(100 + i), Pt(60))
        header = made.sections[0].header.paragraphs[0].add_run()  # a story of its own: its own ids
        add(header, pngs[0], Pt(50), Pt(30))
        return made

    theirs = document(lambda run, png, w, h: run.add_picture(io.BytesIO(png), width=w, height=h))
    ids: dict = {}
    ours = document(lambda run, png, w, h: oxml.add_picture(run, png, w, h, ids))
    for story in (lambda d: d.element, lambda d: d.sections[0].header._element):
        assert story(ours).xml == story(theirs).xml
    assert sorted(int(i) for i in ours.element.xpath("//wp:docPr/@id")) == list(range(1, 2 * len(pngs) + 1))


@given(st.text(alphabet=st.sampled_from("ab &<>\"'\n\r\t\u00e9"), max_size=12))
def test_the_pdf_writer_s_escapes_are_xml_sax_s(text):
    from xml.sax import saxutils

    from assessment.render.pdf import escape, quoteattr

    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)


@settings(max_examples=25, deadline=None)  # each example opens python-docx's template twice
@given(st.lists(st.text(alphabet=st.sampled_from("ab \t\n\r\u00e9&<"), max_size=8), max_size=4))
def test_paragraphs_runs_and_styles_made_directly_are_python_docx_s(texts):
    import docx

    from assessment.render import oxml

    def document(add_paragraph, add_run, set_style):
        made = docx.Document()
        for text in texts:
            set_style(add_paragraph(made, None), "Heading1")  # styled while empty, as the writer does
            paragraph = add_paragraph(made, text)
            set_style(paragraph, "Caption")  # styled after its text
            add_run(paragraph, text)
            add_run(paragraph, None)
        cell = made.add_table(rows=1, cols=1).rows[0].cells[0]
        set_style(cell.paragraphs[0], "TableText")
        add_run(add_paragraph(cell, "in a cell"), " spaced ")
        add_paragraph(made, None)
        return made.element.xml

    def python_docx_style(paragraph, style_id):
        paragraph._p.style = style_id

    theirs = document(lambda c, t: c.add_paragraph(t), lambda p, t: p.add_run(t), python_docx_style)
    assert document(oxml.add_paragraph, oxml.add_run, oxml.set_paragraph_style_id) == theirs
