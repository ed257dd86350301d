"""The format reference and the JSON Schema come from the spec classes and say what loads."""

import io
import json
from contextlib import redirect_stdout

import attrs
import jsonschema
import pytest

from assessment import reference, spec, yamlfile
from assessment.cli import main
from conftest import ROOT

FOLDERS = [ROOT / "fixtures" / "medway-2022", ROOT / "examples" / "another_council", ROOT / "examples" / "from-police-data"]


def _validator():
    schema = json.loads(reference.schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _as_json(data):
    return json.loads(json.dumps(data, default=str))


def test_format_md_is_current():
    assert (ROOT / "FORMAT.md").read_text(encoding="utf-8") == reference.format_reference(), \
        "FORMAT.md is stale: python -m assessment reference > FORMAT.md"


def test_every_field_of_every_spec_class_is_documented():
    classes = {spec.ReportSpec, *spec.BLOCK_KINDS.values(), spec.DatasetSpec, spec.PoliceSpec, spec.ExcelSpec}
    for cls in list(classes):
        classes.update(reference._classes_under(cls))
    assert len(classes) >= 25
    for cls in classes:
        assert cls.__doc__, cls.__name__
        for field in attrs.fields(cls):
            assert field.metadata.get("doc"), f"{cls.__name__}.{field.name}"
            assert f"`{field.name}`" in reference.format_reference()


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_fixtures_and_examples_validate_against_the_schema(folder):
    data = yamlfile.load((folder / "report.yaml").read_text(encoding="utf-8"))
    assert list(_validator().iter_errors(_as_json(data))) == []


@pytest.mark.parametrize("mutation", [
    lambda d: d.update(langauge="en-GB"),
    lambda d: d.update(status="final"),
    lambda d: d["body"].append({"contentz": {}}),
    lambda d: d["body"].append({"markdown": "a.md", "text": "b"}),
    lambda d: d["body"].append({"chart": {"kind": "radar", "title": "t", "data": "x", "x": "a", "y": "b"}}),
    lambda d: d["body"].append({"glossary": {"term": "t"}}),
    lambda d: d["datasets"].update(bad={"police_uk": "p", "view": "by_week"}),
    lambda d: d.update(date="1 December 2022"),
])
def test_the_schema_refuses_what_loading_refuses(mutation):
    data = yamlfile.load((FOLDERS[0] / "report.yaml").read_text(encoding="utf-8"))
    mutation(data)
    assert list(_validator().iter_errors(_as_json(data)))


def test_the_schema_command_prints_it():
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["schema"]) == 0
    schema = json.loads(out.getvalue())
    assert schema["$schema"].endswith("2020-12/schema") and "block" in schema["$defs"]
    assert set(schema["$defs"]["block"]["oneOf"][0]) == {"$ref"}
    assert len(schema["$defs"]["block"]["oneOf"]) == len(spec.BLOCK_KINDS)
