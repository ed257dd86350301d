"""Rules the codebase keeps: layering without import circles, the model as the one source of
defaults, and a command that lets profilers see it end."""

import ast
import pstats
import subprocess
import sys
from pathlib import Path

import attrs

from assessment import model, spec

PACKAGE = Path(__file__).resolve().parent.parent / "assessment"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of ours → the modules of ours it imports, at the top or inside functions."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.startswith("assessment"):
                    found.add(target)
                    # ``from . import figures`` imports a module, not a name
                    found.update(f"{target}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("assessment"))
        graph[name] = found
    modules = set(graph)
    return {name: {t for t in targets if t in modules and t != name} for name, targets in graph.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            # a package's __init__ re-exporting its own modules is not a circle through them
            if target.startswith(node + "."):
                continue
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_circle_anywhere():
    graph = _imports()
    assert "assessment.datasets.excel" in graph and "assessment.loading" in graph  # the walk found us
    assert _cycle(graph) is None, " → ".join(_cycle(graph))


def test_the_cycle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_model_imports_nothing_of_ours():
    assert _imports()["assessment.model"] == set()


def test_writers_never_import_each_other():
    graph = _imports()
    writers = {name for name in graph if name.startswith("assessment.render.") and name not in
               ("assessment.render.base", "assessment.render.tagging", "assessment.render.oxml",
                "assessment.render.platypus")}
    assert {"assessment.render.pdf", "assessment.render.docx"} <= writers
    for writer in writers:
        assert not graph[writer] & (writers - {writer}), writer


def test_spec_defaults_are_the_models():
    """A spec field that becomes a model field has the model's default, not a copy of it."""
    pairs = [(spec.ChartSpec, model.Chart), (spec.ColumnSpec, model.Column), (spec.SectionBlock, model.Section),
             (spec.ContentsSpec, model.Contents), (spec.TableSpec, model.Table), (spec.ReportSpec, model.Report)]
    compared = 0
    for spec_class, node in pairs:
        node_fields = attrs.fields_dict(node)
        for field in attrs.fields(spec_class):
            theirs = node_fields.get(field.name)
            optional_in_both = field.default is not attrs.NOTHING and theirs is not None \
                and theirs.default is not attrs.NOTHING and not isinstance(theirs.default, attrs.Factory)
            if optional_in_both and (spec_class, field.name) != (spec.ReportSpec, "date"):  # a folder must date itself
                assert field.default == node_fields[field.name].default, (spec_class.__name__, field.name)
                compared += 1
    assert compared >= 20


def test_loading_is_split_by_concern():
    lines = (PACKAGE / "loading.py").read_text().count("\n")
    assert lines < 400, f"loading.py has {lines} lines; schema, datasets and sources live elsewhere"


def test_python_dash_m_returns_so_a_profile_is_written(tmp_path, chart_cache, monkeypatch):
    monkeypatch.setenv("ASSESSMENT_CACHE", str(chart_cache))
    profile = tmp_path / "p.out"
    folder = PACKAGE.parent / "tests" / "hostile" / "base"  # small: the profile is the point, not the report
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "assessment", "build",
                    str(folder), "--out", str(tmp_path / "out"), "--format", "docx"],
                   check=True, capture_output=True, timeout=120)
    stats = pstats.Stats(str(profile))
    assert any("load_report" in function for _, _, function in stats.stats)


def test_reportlab_runs_with_its_c_accelerator():
    # rl_accel halves the time reportlab spends measuring and writing text (benchmarks/bench.py);
    # without it reportlab silently falls back to pure Python.
    import inspect

    from reportlab.lib import rl_accel
    for name in ("fp_str", "instanceStringWidthTTF", "escapePDF"):
        assert inspect.isbuiltin(getattr(rl_accel, name)), name
