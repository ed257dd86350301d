"""The folder format described from the spec classes themselves: a JSON Schema of report.yaml
(for editors and for checking) and the Markdown reference in FORMAT.md. Both are generated,
so they say what the code accepts; a test keeps FORMAT.md current."""

from __future__ import annotations

import datetime as dt
import json
import typing

import attrs

from . import content, spec, theme

_UNION_TYPES = (typing.Union, type(int | None))
_SCHEMA_ID = "https://assessment.invalid/report.schema.json"


def _hints(cls: type) -> dict:
    return typing.get_type_hints(cls, vars(spec) | {"model": spec.model})


def _type_schema(tp, defs: dict) -> dict:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is spec.BlockSpec:
        return {"$ref": "#/$defs/block"}
    if tp is spec.SourceSpec:
        return {"anyOf": [{"type": "string", "description": "A CSV file inside the report folder."},
                          *(_class_schema(c, defs) for c in (spec.DatasetSpec, spec.PoliceSpec, spec.ExcelSpec))]}
    if origin in _UNION_TYPES:
        options = [a for a in args if a is not type(None)]
        inner = _type_schema(options[0], defs) if len(options) == 1 else {"anyOf": [_type_schema(a, defs) for a in options]}
        return {"anyOf": [inner, {"type": "null"}]} if type(None) in args else inner
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(args[1], defs)}
    if tp is str:
        return {"type": ["string", "number", "integer"]}  # written unquoted, 2022 is the text '2022'
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is dt.date:
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if attrs.has(tp):
        return _class_schema(tp, defs)
    return {}


def _class_schema(cls: type, defs: dict) -> dict:
    if cls.__name__ not in defs:
        defs[cls.__name__] = {}  # placeholder: classes refer to themselves through blocks
        hints = _hints(cls)
        properties, required = {}, []
        for field in attrs.fields(cls):
            schema = dict(_type_schema(hints[field.name], defs))
            if "doc" in field.metadata:
                schema["description"] = field.metadata["doc"]
            if field.default is attrs.NOTHING:
                required.append(field.name)
            elif not isinstance(field.default, attrs.Factory) and field.default is not None:
                schema["default"] = field.default
            properties[field.name] = schema
        defs[cls.__name__] = {"type": "object", "description": (cls.__doc__ or "").strip(), "properties": properties,
                              "required": required, "additionalProperties": False}
    return {"$ref": f"#/$defs/{cls.__name__}"}


def json_schema() -> dict:
    """A JSON Schema (2020-12) of report.yaml."""
    defs: dict = {}
    blocks = []
    for kind, cls in spec.BLOCK_KINDS.items():
        reference = _class_schema(cls, defs)
        blocks.append(reference)
    # ``contents:`` may be left empty
    defs["ContentsBlock"]["properties"]["contents"] = {"anyOf": [{"$ref": "#/$defs/ContentsSpec"}, {"type": "null"}],
                                                       "description": "The contents page's settings ({} or nothing for the defaults)."}
    defs["block"] = {"description": "One block: a mapping with exactly one of " + ", ".join(spec.BLOCK_KINDS) + ".",
                     "oneOf": blocks}
    root = _class_schema(spec.ReportSpec, defs)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _SCHEMA_ID,
            "title": "assessment report.yaml", **root, "$defs": dict(sorted(defs.items()))}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


# --- the Markdown reference -------------------------------------------------------------------


def _type_words(tp) -> str:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is spec.BlockSpec:
        return "block"
    if tp is spec.SourceSpec:
        return "dataset source"
    if origin in _UNION_TYPES:
        return " or ".join(_type_words(a) for a in args if a is not type(None)) + (" (optional)" if type(None) in args else "")
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {_type_words(args[0])}"
    if origin is dict:
        return f"mapping of name → {_type_words(args[1])}"
    if attrs.has(tp):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    return {str: "text", bool: "true/false", int: "whole number", float: "number", dt.date: "date (2022-12-01)",
            typing.Any: "any value"}.get(tp, getattr(tp, "__name__", str(tp)))


def _default_words(field) -> str:
    if field.default is attrs.NOTHING:
        return "**required**"
    if isinstance(field.default, attrs.Factory):
        return "empty"
    if field.default is None:
        return "—"
    if isinstance(field.default, bool):
        return "true" if field.default else "false"
    return f"`{field.default}`" if field.default != "" else "`\"\"`"


def _class_section(cls: type, heading: str) -> list[str]:
    lines = [f"### {heading}", "", (cls.__doc__ or "").strip(), "", "| key | type | default | meaning |",
             "|---|---|---|---|"]
    hints = _hints(cls)
    for field in attrs.fields(cls):
        doc = field.metadata.get("doc", "")
        if "example" in field.metadata:
            doc += f" Example: `{field.metadata['example']}`."
        cells = (f"`{field.name}`", _type_words(hints[field.name]), _default_words(field), doc)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    lines.append("")
    return lines


def _classes_under(root: type) -> list[type]:
    seen: list[type] = []

    def visit(tp):
        args = typing.get_args(tp)
        if tp in (spec.BlockSpec, spec.SourceSpec):
            return
        if attrs.has(tp):
            if tp not in seen:
                seen.append(tp)
                for hint in _hints(tp).values():
                    visit(hint)
        for arg in args or ():
            visit(arg)

    visit(root)
    return seen


def format_reference() -> str:
    lines = ["# The report folder format", "",
             "Generated from the code by `assessment reference` (a test keeps it current). "
             "`assessment schema` prints the same as a JSON Schema for editors.", "",
             "## report.yaml", ""]
    lines += _class_section(spec.ReportSpec, "ReportSpec")[2:]
    for cls in _classes_under(spec.ReportSpec)[1:]:
        lines += _class_section(cls, f"{cls.__name__} <a id=\"{cls.__name__.lower()}\"></a>")
    lines += ["## Blocks", "", "Each item of `body` (and of a block's `content`) is a mapping with exactly one of "
              "these keys:", ""]
    for kind, cls in spec.BLOCK_KINDS.items():
        lines += _class_section(cls, f"`{kind}` <a id=\"{cls.__name__.lower()}\"></a>")
    lines += ["## Where blocks may stand", "", "| in | allowed |", "|---|---|"]
    for place, allowed in content.ALLOWED.items():
        lines.append(f"| {place} | {', '.join('`' + content.KIND_NAMES[k] + '`' for k in allowed)} |")
    lines += ["", "(`text` covers `markdown` and `text` blocks, whose lists count as `list`.)", ""]
    nested = []
    for cls in spec.BLOCK_KINDS.values():
        nested += [c for c in _classes_under(cls) if c not in spec.BLOCK_KINDS.values() and c not in nested]
    lines += ["## Parts of blocks", ""]
    for cls in nested:
        lines += _class_section(cls, f"{cls.__name__} <a id=\"{cls.__name__.lower()}\"></a>")
    lines += ["## Datasets", "", "Each entry of `datasets` is a CSV path, or one of:", ""]
    for cls in (spec.DatasetSpec, spec.PoliceSpec, spec.ExcelSpec):
        lines += _class_section(cls, f"{cls.__name__} <a id=\"{cls.__name__.lower()}\"></a>")
    lines += _style_reference()
    return "\n".join(lines).rstrip() + "\n"


def _style_reference() -> list[str]:
    lines = ["## Style files", "", "A style is a TOML file with four tables, and four more that may be left out "
             "([layout], [cover], [labels], [word]); every key is required unless a default is shown. [labels] holds "
             "every word the library itself writes (English by default; `{name}` marks what is filled in; `language` "
             "is the labels' language tag, which a report's `language` must share). Sizes are in points, "
             "margins in millimetres, colours `#RRGGBB`. Fonts and a Word template are paths beside the style file "
             "(or below it); fonts may also be those shipped with the built-in styles.", ""]
    for table, cls in (("page", theme.Page), ("fonts", theme.Fonts), ("sizes", theme.Sizes), ("colours", theme.Colours),
                       ("layout", theme.Proportions), ("cover", theme.CoverGeometry), ("labels", theme.Labels),
                       ("word", theme.WordSettings)):
        hints = typing.get_type_hints(cls)
        lines += [f"### [{table}]", "", "| key | type | default |", "|---|---|---|"]
        for field in attrs.fields(cls):
            default = _default_words(field).replace("\n", "\\n")
            lines.append(f"| `{field.name}` | {_type_words(hints[field.name])} | {default} |")
        lines.append("")
    lines += ["### Checks when a style loads", "",
              f"- `sizes.body` is at least {theme.MIN_BODY_SIZE:g} pt; every size lies between 0 (spaces and paddings) "
              f"or 1 and {theme.MAX_SIZE_POINTS:g} pt; margins leave a text column and page of at least "
              f"{theme.MIN_FRAME_POINTS / theme.MM:.0f} mm; the palette has a colour.",
              f"- Every pair of text and background colours the writers draw has a contrast of at least "
              f"{theme.MIN_CONTRAST}:1 (WCAG AA). The pairs read:", ""]
    for fore, back in theme.TEXT_PAIRS:
        lines.append(f"  - `colours.{fore}` on {'`colours.' + back + '`' if back else 'the white page'}")
    lines.append("")
    return lines
