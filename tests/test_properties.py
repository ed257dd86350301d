"""Random documents — any Unicode, markup characters, nesting — through both writers."""

import io

import docx
import pikepdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import model
from assessment.api import render_documents

# Any character but lone surrogates; markup-ish characters made frequent on purpose.
TEXT = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(list("<>&\"'/\\]]>{}%#*_[]()ŵŷ€£—"))),
    max_size=30,
)
LINKS = st.sampled_from([None, None, "https://www.medway.gov.uk/a?b=1&c=<2>", "mailto:csp@example.org"])

spans = st.lists(st.builds(model.Text, TEXT, st.booleans(), st.booleans(), LINKS), min_size=1, max_size=4)
paragraphs = st.builds(model.Paragraph, spans)


def bullet_lists(depth=2):
    child = bullet_lists(depth - 1) if depth > 1 else st.none()
    items = st.builds(model.ListItem, paragraphs, st.one_of(st.none(), child))
    return st.builds(model.BulletList, st.lists(items, min_size=1, max_size=3))


@st.composite
def tables(draw):
    width = draw(st.integers(1, 4))
    def row():
        return tuple(model.Cell((draw(paragraphs),)) for _ in range(width))
    header = [row()]
    if draw(st.booleans()):
        header.insert(0, (model.Cell.of(draw(TEXT), colspan=width),))
    body = [row() for _ in range(draw(st.integers(0, 5)))]
    return model.Table(tuple(model.Column(draw(st.floats(0.5, 3)), draw(st.sampled_from(["left", "right", "center"])))
                             for _ in range(width)), tuple(header), tuple(body),
                       caption=draw(st.one_of(st.none(), TEXT)), emphasis_rows=(0,) if body else ())


charts = st.builds(model.Chart, id=st.just(""), kind=st.sampled_from(["line", "bar"]), title=TEXT, rows=st.none(),
                   unavailable_reason=st.one_of(st.none(), TEXT), width=st.floats(100, 500), height=st.floats(40, 300))
leaf_blocks = st.one_of(
    paragraphs, bullet_lists(), tables(), charts,
    st.builds(model.Signature, TEXT, TEXT),
    st.builds(model.Glossary, st.lists(st.builds(model.GlossaryEntry, TEXT, TEXT), max_size=4)),
    st.builds(model.DataSources, st.lists(TEXT, min_size=1, max_size=3)),
)
containers = st.one_of(
    st.builds(model.Callout, TEXT, TEXT, st.lists(st.one_of(paragraphs, bullet_lists()), max_size=3)),
    st.builds(model.KeyFacts, st.lists(st.builds(model.KeyFact, TEXT, st.lists(st.one_of(paragraphs, tables(), charts), max_size=2)), min_size=1, max_size=3)),
    st.builds(model.SideBySide, st.lists(st.lists(st.one_of(paragraphs, bullet_lists(), tables(), charts), max_size=3),
                                         min_size=2, max_size=3)),
)


@st.composite
def sections(draw, level=1):
    content = draw(st.lists(st.one_of(leaf_blocks, containers), max_size=4))
    if level < 3 and draw(st.booleans()):
        content.append(draw(sections(level + 1)))
    return model.Section(draw(TEXT), tuple(content), level=level)


reports = st.builds(
    lambda cover_title, org, contents, body: model.Report(model.Cover(org, cover_title), ((model.Contents(),) if contents else ()) + tuple(body), title=cover_title),
    TEXT, TEXT, st.booleans(), st.lists(sections(), min_size=1, max_size=3),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(report=reports)
def test_random_reports_render_in_both_formats(report):
    documents = render_documents(report, cache_dir=False)
    assert documents["pdf"].startswith(b"%PDF") and documents["pdf"].rstrip().endswith(b"%%EOF")
    docx.Document(io.BytesIO(documents["docx"]))  # opens as a Word document
    # qpdf's own checks (what `qpdf --check` runs), through the qpdf that pikepdf bundles, so they
    # run on every machine rather than being skipped where the qpdf command is not installed.
    with pikepdf.open(io.BytesIO(documents["pdf"])) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert pdf.Root.MarkInfo.Marked is True
