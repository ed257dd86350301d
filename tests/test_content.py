"""The content model: one table of which block may stand where, enforced everywhere."""

import attrs
import pytest

from assessment import compose as c
from assessment import content, model
from assessment.api import render_documents
from assessment.errors import ReportError
from assessment.loading import load_report


def test_a_section_in_a_side_by_side_column_is_refused_by_the_loader(medway_copy):
    path = medway_copy / "report.yaml"
    text = path.read_text()
    marker = "      - side_by_side:\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + "          - section: Inside a column\n", 1))
    with pytest.raises(ReportError) as caught:
        load_report(medway_copy)
    [problem] = [p for p in caught.value.problems if "cannot stand" in p.message]
    assert problem.file == "report.yaml" and problem.where.endswith(".side_by_side[0]")
    assert problem.message == ("a section block cannot stand in a side-by-side column; "
                               "allowed there: text, list, table, chart")


@pytest.mark.parametrize("make, where", [
    (lambda: c.side_by_side(c.section("S", "words"), "other"), "compose.side_by_side: columns[0][0]"),
    (lambda: c.report("T", "O", c.paragraph("loose")), "compose.report: blocks[0]"),
    (lambda: c.key_facts({"Label": [c.report("T", "O")]}), "compose.key_facts"),
])
def test_compose_refuses_the_same_places(make, where):
    with pytest.raises(ReportError) as caught:
        make()
    assert str(caught.value).startswith(where)


def test_a_tree_built_by_hand_is_checked_before_any_writer_sees_it():
    report = c.report("T", "O", c.section("S", "words"), contents=False)
    callout = model.Callout("Aims", "", (model.Section("Inside", ()),))
    report = attrs.evolve(report, blocks=(attrs.evolve(report.blocks[0], blocks=(callout,)),))
    with pytest.raises(ReportError, match="a section block cannot stand in a callout"):
        render_documents(report, cache_dir=False)


def test_every_node_class_has_a_place_and_a_name():
    blocks = set(model.Block.__args__)
    assert blocks == set(content.KIND_NAMES)
    assert blocks == {kind for allowed in content.ALLOWED.values() for kind in allowed}
