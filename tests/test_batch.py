"""build-all: every folder gets its own output folder, whatever the folders are called."""

import shutil

from assessment.batch import BuildOptions, build_all, subfolders
from conftest import ROOT


def test_folders_with_the_same_name_get_their_own_output_folders(tmp_path):
    assert subfolders(["a/report", "b/report", "c/Report", "d/other"]) == ["report", "report-2", "Report-3", "other"]


def test_a_batch_of_two_same_named_folders_keeps_both_reports(tmp_path, chart_cache):
    source = ROOT / "examples" / "another_council"
    for parent in ("north", "south"):
        shutil.copytree(source, tmp_path / parent / "csp")
    (tmp_path / "south" / "csp" / "report.yaml").write_text(
        (tmp_path / "south" / "csp" / "report.yaml").read_text().replace("title: ", "title: South ", 1))
    outcomes = build_all([tmp_path / "north" / "csp", tmp_path / "south" / "csp"],
                         BuildOptions(str(tmp_path / "out"), ("docx",), cache_dir=str(chart_cache)), progress=False)
    assert [o.ok for o in outcomes] == [True, True]
    built = sorted(p.relative_to(tmp_path / "out").parts[0] for o in outcomes for p in map(__import__("pathlib").Path, o.paths))
    assert built == ["csp", "csp-2"]
    import docx
    titles = [docx.Document(o.paths[0]).core_properties.title for o in outcomes]
    assert titles[0] != titles[1] and "South" in titles[1]
