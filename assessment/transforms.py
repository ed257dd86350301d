"""Work done once on the tree and shared by both writers: ids, numbering, contents, alt text."""

from __future__ import annotations

import functools
import re

import attrs

from . import figures
from .links import linked
from .theme import Labels, fill_label
from .model import (
    BulletList, Cell, Chart, Column, DataSources, Glossary, ListItem, Paragraph, Report, Section, Table, walk,
)


@attrs.frozen
class ContentsEntry:
    section_id: str
    title: str
    level: int  # 1: an item; 2: a bullet under the item above


@attrs.frozen
class Prepared:
    """The report with ids and titles settled, plus everything derived from it."""

    report: Report
    contents: tuple[ContentsEntry, ...]
    figure_numbers: dict[str, int]
    alt_texts: dict[str, str]
    labels: Labels = Labels()  # the words numbered figures and appendices are given

    def caption(self, chart: Chart) -> str:
        """The figure's line, "Figure N: its title"; a chart's own ``caption`` is a note under it."""
        return fill_label(self.labels.figure, number=self.figure_numbers[chart.id], caption=chart.title)

    def contents_entry(self, section_id: str) -> "ContentsEntry | None":
        """The contents entry of a section, if the contents lists it."""
        return next((entry for entry in self.contents if entry.section_id == section_id), None)

    def charts(self) -> list[Chart]:
        return [node for node, _ in walk(self.report.blocks) if isinstance(node, Chart)]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def prepare(report: Report, labels: Labels | None = None) -> Prepared:
    """Ids, appendix titles, contents, figure numbers and alt text; ``labels`` are the style's
    words for "Appendix N – …" and "Figure N: …" (English by default)."""
    labels = labels or Labels()
    taken: set[str] = set()
    appendix_count = 0

    def settle(node):
        nonlocal appendix_count
        if isinstance(node, Section):
            title = node.title
            if node.appendix:
                appendix_count += 1
                title = fill_label(labels.appendix, number=appendix_count, title=node.title)
            ident = _unique(node.id or "sec-" + _slug(node.title), taken)
            return attrs.evolve(node, title=title, id=ident, blocks=tuple(settle_all(node.blocks)))
        if isinstance(node, Chart):
            return attrs.evolve(node, id=_unique(node.id or "fig-" + _slug(node.title), taken))
        if isinstance(node, Glossary):
            return Glossary(tuple(sorted(node.entries, key=lambda e: (e.term.casefold(), e.term))))
        return _map_children(node, settle_all)

    def settle_all(blocks):
        return [settle(b) for b in blocks]

    settled = attrs.evolve(report, blocks=tuple(settle_all(report.blocks)))

    contents: list[ContentsEntry] = []
    for node, parents in walk(settled.blocks):
        if not isinstance(node, Section) or not node.in_contents:
            continue
        if node.level == 1:
            contents.append(ContentsEntry(node.id, node.title, 1))
        elif node.level == 2 and parents and getattr(parents[-1], "contents_children", False):
            contents.append(ContentsEntry(node.id, node.title, 2))

    charts = [node for node, _ in walk(settled.blocks) if isinstance(node, Chart)]
    numbers = {chart.id: index for index, chart in enumerate(charts, 1)}
    alts = {chart.id: chart.alt or describe(chart, labels) for chart in charts}
    return Prepared(settled, tuple(contents), numbers, alts, labels)


def _map_children(node, fn):
    """Rebuild container nodes whose children may need settling (key facts, callouts, columns,
    cells)."""
    from .model import Callout, Cell, KeyFact, KeyFacts, SideBySide, Table

    if isinstance(node, Callout):
        return attrs.evolve(node, blocks=tuple(fn(node.blocks)))
    if isinstance(node, SideBySide):
        return SideBySide(tuple(tuple(fn(column)) for column in node.columns))
    if isinstance(node, KeyFacts):
        return KeyFacts(tuple(KeyFact(f.label, tuple(fn(f.blocks))) for f in node.rows))
    if isinstance(node, Table):
        def rows(rs):
            return tuple(tuple(Cell(tuple(fn(c.blocks)), c.colspan) for c in r) for r in rs)
        return attrs.evolve(node, header_rows=rows(node.header_rows), rows=rows(node.rows))
    return node


def _value(chart: Chart, value) -> str:
    if isinstance(value, (int, float)):
        text = figures.number(value, 0 if float(value).is_integer() else 1)
        return text + ("%" if "%" in (chart.y_title or "") or chart.y == "percent" else "")
    return str(value)


def _join(words: list[str], labels: Labels) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {labels.alt_and} " + words[-1]


def describe(chart: Chart, labels: Labels | None = None) -> str:
    """Alt text written from the data: what is drawn, its range, its highs and lows, in the
    style's words (``labels``; English by default)."""
    labels = labels or Labels()
    kind = labels.chart_kind(chart.kind)
    if not chart.available:
        return fill_label(labels.alt_unavailable, title=chart.title)
    rows = [r for r in chart.rows if isinstance(r.get(chart.y), (int, float))]
    if not rows:
        return fill_label(labels.alt_no_values, kind=kind, title=chart.title)
    measure = chart.y_title or chart.y.replace("_", " ")
    if chart.kind == "line" or chart.kind == "column":
        top = max(r[chart.y] for r in rows)
        low = min(r[chart.y] for r in rows)
        return fill_label(
            labels.alt_range, kind=kind, title=chart.title, measure=measure, first=rows[0][chart.x], last=rows[-1][chart.x],
            highest=_value(chart, top), highest_at=_join([str(r[chart.x]) for r in rows if r[chart.y] == top], labels),
            lowest=_value(chart, low), lowest_at=_join([str(r[chart.x]) for r in rows if r[chart.y] == low], labels))
    listed = "; ".join(f"{r[chart.x]} {_value(chart, r[chart.y])}" for r in rows[:12])
    if len(rows) > 12:
        listed += "; " + fill_label(labels.alt_more, count=len(rows) - 12)
    return fill_label(labels.alt_values, kind=kind, title=chart.title, measure=measure, values=listed)


def _spans(blocks):
    from .model import BulletList, Paragraph

    def in_list(bullets):
        for item in bullets.items:
            yield from item.paragraph.spans
            if item.children:
                yield from in_list(item.children)

    for node, _ in walk(blocks):
        if isinstance(node, Paragraph):
            yield from node.spans
        elif isinstance(node, BulletList):
            yield from in_list(node)


def missing_items(report: Report) -> list[str]:
    """What a draft still lacks: every placeholder, once, in reading order."""
    from .model import Placeholder

    return list(dict.fromkeys(s.text for s in _spans(report.blocks) if isinstance(s, Placeholder)))


def page_label(first: int, last: int) -> str:
    """The reference's form: '4' or '4-5'."""
    return str(first) if last <= first else f"{first}-{last}"


def glossary_table(glossary: Glossary, labels: Labels | None = None, term_share: float = 1 / 4.2) -> Table:
    """The glossary as both writers draw it: a two-column table, terms in bold, the terms'
    column ``term_share`` of the width (the style's ``layout.glossary_term_share``)."""
    labels = labels or Labels()
    return Table(
        (Column(term_share), Column(1 - term_share)),
        ((Cell.of(labels.term, bold=True), Cell.of(labels.meaning, bold=True)),),
        tuple((Cell.of(e.term, bold=True), Cell.of(e.definition)) for e in glossary.entries),
        summary=labels.glossary_summary,
    )


def data_sources_list(sources: DataSources) -> BulletList:
    """The sources as a list, each web address in them a link."""
    return BulletList(tuple(ListItem(Paragraph(linked(source))) for source in sources.sources))


REPLACEMENT = "\u25a1"  # a white square: visible, and in every Latin font we ship
# Fields that are never drawn as text: link targets, ids, field names, settings. Rewriting
# them would break a link or part a chart from the column it names.
_NOT_DRAWN = {
    "Text": {"href"}, "Section": {"id"}, "Chart": {"id", "kind", "x", "y", "series", "number_format", "sort"},
    "Report": {"name", "style", "language", "status", "version"},
}
# Characters a font may map but XML 1.0 (DOCX, and the PDF's XMP) cannot hold.
_NOT_IN_XML = frozenset([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF])


@functools.lru_cache(maxsize=None)
def _drawn_fields(node_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(node_type) if f.name not in _NOT_DRAWN.get(node_type.__name__, ()))


def replace_unsupported(report: Report, covered: frozenset[int]) -> tuple[Report, list[str]]:
    """Swap characters the font cannot draw for a visible square; one warning per character."""
    from .model import Placeholder, Text

    found: dict[str, str] = {}

    drawable = frozenset(map(chr, covered - _NOT_IN_XML)) | {"\n", "\t"}  # characters: set lookups at C speed

    def clean(text: str, where: str) -> str:
        if drawable.issuperset(text):
            return text
        out = []
        for ch in text:
            if ch in drawable:
                out.append(ch)
            else:
                found.setdefault(ch, where)
                out.append(REPLACEMENT)
        return "".join(out)

    def fix(node, where: str):
        if isinstance(node, (Text, Placeholder)):
            text = clean(node.text, where)
            return node if text is node.text else attrs.evolve(node, text=text)  # unchanged: the same node
        if isinstance(node, Section):
            where = node.title
        if attrs.has(type(node)):
            changes = {}
            for name in _drawn_fields(type(node)):
                value = getattr(node, name)
                new = fix_value(value, where)
                if new is not value:
                    changes[name] = new
            return attrs.evolve(node, **changes) if changes else node
        return node

    def fix_value(value, where):
        if isinstance(value, str):
            return clean(value, where)
        if isinstance(value, tuple):
            items = tuple(fix_value(v, where) for v in value)
            return items if any(a is not b for a, b in zip(items, value)) else value
        if isinstance(value, dict):
            fixed = {k: fix_value(v, where) for k, v in value.items()}
            return fixed if any(fixed[k] is not value[k] for k in value) else value
        if attrs.has(type(value)):
            return fix(value, where)
        return value

    cleaned = fix(report, "the cover")
    warnings = [f"character {ch!r} (U+{ord(ch):04X}) is not in the font; shown as {REPLACEMENT} (first in '{where}')"
                for ch, where in found.items()]
    return cleaned, warnings
