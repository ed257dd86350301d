"""reportlab's platypus imported through assessment.render.platypus: its large case-insensitive
URL pattern is compiled on first use (0.05 s saved a process), and behaves as the pattern."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from assessment.render.platypus import PatternOnFirstUse

FRESH_PROCESS = r"""
import sys
import assessment.render.pdf
import reportlab.platypus.paragraph as paragraph
from assessment.render.platypus import PatternOnFirstUse
assert isinstance(paragraph.uri_pat, PatternOnFirstUse), type(paragraph.uri_pat)
assert not paragraph.uri_pat.compiled
import re
# reportlab's other patterns are ordinary ones
assert isinstance(paragraph._hy_letters_pat, re.Pattern)
assert isinstance(re.compile("x" * 300, re.IGNORECASE), re.Pattern)  # outside the import: as ever
from assessment import compose
from assessment.api import render_documents
report = compose.report("Tiny", "A Partnership", compose.section("One", compose.paragraph(
    "See https://www.ons.gov.uk/peoplepopulationandcommunity/crimeandjustice for the figures.")))
assert render_documents(report, formats=["pdf"], cache_dir=False)["pdf"].startswith(b"%PDF")
print("compiled" if paragraph.uri_pat.compiled else "not compiled")
"""


def test_a_pdf_build_never_compiles_reportlabs_url_pattern():
    result = subprocess.run([sys.executable, "-c", FRESH_PROCESS], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not compiled"


URIS = ["https://www.ons.gov.uk/x?y=1#z", "HTTP://WWW.MEDWAY.GOV.UK", "www.police.uk", "ftp://user:pw@host.example:21/a",
        "http://192.168.0.1:8080/p", "http://[::1]/", "https://bücher.example/straße", "mailto:someone@example.org",
        "not a uri", "http://-bad-.com", "https://xn--bcher-kva.example", "http://localhost:5000/", "", "://x.y"]


@pytest.mark.parametrize("text", URIS)
def test_the_pattern_on_first_use_answers_as_the_pattern(text):
    import reportlab.platypus.paragraph as paragraph

    source = paragraph.uri_pat.pattern
    real = re.compile(source, re.IGNORECASE)
    deferred = PatternOnFirstUse(source, re.IGNORECASE)
    for method in ("match", "search", "fullmatch"):
        mine, theirs = getattr(deferred, method)(text), getattr(real, method)(text)
        assert (mine and (mine.span(), mine.groups())) == (theirs and (theirs.span(), theirs.groups()))
    assert deferred.compiled
    assert deferred.pattern == real.pattern and deferred.flags == real.flags


def test_reportlabs_url_splitting_is_unchanged():
    import reportlab.platypus.paragraph as paragraph

    for text in URIS:
        original = paragraph.uri_pat
        try:
            paragraph.uri_pat = re.compile(original.pattern, re.IGNORECASE)
            expected = paragraph._uri_split_pairs(text)
        finally:
            paragraph.uri_pat = original
        assert paragraph._uri_split_pairs(text) == expected
