"""Which block may stand where: the content model, as data.

The loader, the compose API and the check every tree gets before rendering all read this one
table, so a block the writers cannot place (a section inside a side-by-side column, a contents
page inside a box) is refused wherever it comes from, with the places it may go.
"""

from __future__ import annotations

from . import model

_LEAVES = (model.Paragraph, model.BulletList, model.Table, model.Chart)

ALLOWED: dict[str, tuple[type, ...]] = {
    "report body": (model.Contents, model.Section),
    "section": (model.Paragraph, model.BulletList, model.Table, model.Chart, model.KeyFacts, model.Callout,
                model.SideBySide, model.Signature, model.Glossary, model.DataSources, model.Section),
    "side-by-side column": _LEAVES,
    "callout": _LEAVES,
    "key fact": _LEAVES,
    "table cell": _LEAVES,
}

# The name a file or a script uses for each node class.
KIND_NAMES = {
    model.Paragraph: "text", model.BulletList: "list", model.Table: "table", model.Chart: "chart",
    model.KeyFacts: "key_facts", model.Callout: "callout", model.SideBySide: "side_by_side",
    model.Signature: "signature", model.Contents: "contents", model.Glossary: "glossary",
    model.DataSources: "data_sources", model.Section: "section",
}


def container(parent) -> str:
    """Where a node stands, named as ALLOWED names it, from its innermost parent (None: the body)."""
    if parent is None:
        return "report body"
    return {model.Section: "section", model.Callout: "callout", model.KeyFacts: "key fact",
            model.SideBySide: "side-by-side column", model.Table: "table cell"}[type(parent)]


def misplaced(node, place: str) -> str | None:
    """Why ``node`` may not stand in ``place``, or None."""
    allowed = ALLOWED[place]
    if isinstance(node, allowed):
        return None
    kind = KIND_NAMES.get(type(node), type(node).__name__)
    return f"a {kind} block cannot stand in a {place}; allowed there: {', '.join(KIND_NAMES[k] for k in allowed)}"
