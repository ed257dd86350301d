"""Figure phrases in narrative: the template environment phrases in the report's language."""

import pytest

from assessment import templates
from assessment.errors import NarrativeError
from assessment.loading import load_report
from conftest import ROOT


def fill(source, language="en-GB", draft=False, **context):
    env = templates.make_environment(draft=draft, language=language)
    return templates.fill(env, source, context, file="t.md").replace("\\", "")  # Markdown escapes off


@pytest.mark.parametrize("language", ["en-GB", "en", "fr-FR", ""])
def test_english_for_every_language_that_is_not_welsh(language):
    assert fill("{{ change(100, 108) | article }}", language) == "an 8% increase"
    assert fill("{{ difference(5, 5, 'incident') }}", language) == "the same number of incidents"


@pytest.mark.parametrize("language", ["cy", "cy-GB"])
def test_welsh_report_phrases_in_welsh(language):
    assert fill("{{ change(29652, 32541, 1) }}", language) == "cynnydd o 9.7%"
    assert fill("sy'n {{ change(100, 110) | soft_mutation }}", language) == "sy'n gynnydd o 10%"
    assert fill("{{ change(100, 100) | article }}", language) == "dim newid"
    assert fill("{{ difference(9574, 5641, 'digwyddiad', 'digwyddiadau') }}", language) == \
        "3,933 yn llai o ddigwyddiadau"
    assert fill("{{ 11 | ordinal }} uchaf", language) == "11eg uchaf"
    assert fill("{{ rate(32541, 279800) }} {{ per(1000) }}", language) == "116 i bob 1,000"


def test_the_medway_sentences():
    source = ("showing {{ change(176, 247) | article }} in 2022. This is {{ change(7, 15) | article }}. "
              "{{ difference(9574, 5641, 'incident') }}")
    assert fill(source) == "showing a 40% increase in 2022. This is a 114% increase. 3,933 fewer incidents"
    assert fill("{{ change(by[0], by[1]) | article }}, {{ difference(by[0], by[1], 'incident', than='in 2021-22') }}",
                by=[6, 6]) == "no change, the same number of incidents as in 2021-22"


def test_a_missing_value_in_a_draft_keeps_its_marker_through_article():
    text = fill("{{ change(nothing, 5) | article }}", draft=True)
    assert "missing: nothing" in text and not text.startswith(("a ", "an "))


def test_bad_figure_input_is_a_narrative_error_at_its_line():
    with pytest.raises(NarrativeError) as caught:
        fill("\n{{ difference(1, 2, 'digwyddiad') }}", "cy")
    assert "plural" in caught.value.problem.message and caught.value.problem.where == "line 2"
    with pytest.raises(NarrativeError):
        fill("{{ count(3, 5) }}")


def test_the_reports_language_reaches_its_texts(tmp_path):
    # A Welsh report needs a style with Welsh labels (the Welsh example's); an English one the plain style.
    (tmp_path / "style.toml").write_bytes((ROOT / "examples" / "welsh" / "style.toml").read_bytes())
    (tmp_path / "report.yaml").write_text("""
title: Asesiad Strategol
organisation: Partneriaeth Diogelwch Cymunedol
date: 2023-01-01
language: cy
style: style.toml
values: {before: 9574, after: 5641}
body:
  - section: Ymddygiad gwrthgymdeithasol
    content:
      - text: "Bu {{ change(before, after) }}: {{ difference(before, after, 'digwyddiad', 'digwyddiadau') }}."
""")
    report = load_report(tmp_path)
    assert report.blocks[0].blocks[0].plain == "Bu gostyngiad o 41%: 3,933 yn llai o ddigwyddiadau."
    (tmp_path / "report.yaml").write_text((tmp_path / "report.yaml").read_text().replace("language: cy", "language: en-GB").replace("style: style.toml", "style: plain"))
    report = load_report(tmp_path)
    assert report.blocks[0].blocks[0].plain.startswith("Bu 41% decrease: 3,933 fewer")
