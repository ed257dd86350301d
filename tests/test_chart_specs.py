"""How a chart's spec is built: by altair, from altair's own classes, without validating anything
against the Vega-Lite schema on the way (what made building a spec slow), and yet valid against
that schema when asked, for every chart kind and data shape of the gallery and every chart of
the Medway report."""

from __future__ import annotations

import threading

import altair as alt
import attrs
import altair.utils.schemapi as schemapi
import pytest

from assessment import charts
from assessment.loading import load_report
from assessment.api import theme_for
from assessment.theme import load_theme
from assessment.transforms import prepare
from conftest import MEDWAY
from test_chart_gallery import KINDS, SHAPES, gallery_chart


@pytest.fixture(scope="module")
def theme():
    return load_theme(MEDWAY / "style.toml")


def _every_chart(theme):
    found = [(gallery_chart(kind, name), theme) for kind in KINDS for name in SHAPES]
    report = load_report(MEDWAY)
    medway = theme_for(report)
    found += [(chart, medway) for chart in prepare(report, medway.labels).charts() if chart.available]
    return found


def test_specs_are_built_without_schema_validation(theme, monkeypatch):
    """Every object made in altair's debug mode or set through ``.properties()`` is validated
    with jsonschema, and one made from a dict (``alt.datum``, ``alt.condition``, a shorthand
    string given to ``encode``) is matched against the whole schema's definitions: none of that
    may happen while a spec is built."""
    def refuse(*args, **kwargs):
        raise AssertionError("a spec was validated against the Vega-Lite schema while it was built")

    def from_dict(cls, *args, **kwargs):
        raise AssertionError(f"{cls.__name__} was made from a dict, matched against the schema")

    monkeypatch.setattr(schemapi, "validate_jsonschema", refuse)
    monkeypatch.setattr(schemapi, "_get_errors_from_spec", refuse)
    monkeypatch.setattr(schemapi.SchemaBase, "from_dict", classmethod(from_dict))
    built = 0
    for chart, chart_theme in _every_chart(theme):
        assert charts.spec(chart, chart_theme)["$schema"] == alt.SCHEMA_URL
        built += 1
    assert built == len(KINDS) * len(SHAPES) + 5
    assert schemapi.DEBUG_MODE is True  # altair's own setting put back


def test_altair_objects_and_specs_are_valid_vega_lite(theme):
    """Built of the right classes: altair's validation of the chart object passes, gives the same
    spec, and the spec is valid against the Vega-Lite schema altair carries."""
    schema = alt.vegalite.v6.schema.core.load_schema()
    everything = _every_chart(theme)
    for chart, chart_theme in everything:
        built = charts.spec(chart, chart_theme)
        with schemapi.debug_mode(True):  # to_dict(validate=True) checks the whole spec against the schema
            validated = charts.altair_chart(chart, chart_theme).to_dict(validate=True)
        assert validated == built, chart.id
    for chart, chart_theme in everything[-5:]:  # and, directly, Medway's (twice the time again for all)
        schemapi.validate_jsonschema(charts.spec(chart, chart_theme), schema)


def test_altair_debug_mode_is_put_back_after_a_refused_chart_and_across_threads(theme):
    broken = attrs.evolve(gallery_chart("pie", "one-row"), rows=({"category": "A", "value": -1},))
    with pytest.raises(ValueError):
        charts.spec(broken, theme)
    assert schemapi.DEBUG_MODE is True
    with schemapi.debug_mode(False):  # a caller's own setting is kept too
        charts.spec(gallery_chart("bar", "forty"), theme)
        assert schemapi.DEBUG_MODE is False

    specs, errors = [], []

    def build():
        try:
            for name in SHAPES:
                specs.append(charts.spec(gallery_chart("column", name), theme))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(specs) == 3 * len(SHAPES)
    assert schemapi.DEBUG_MODE is True
