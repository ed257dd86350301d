"""The figures functions in Welsh (issue 16 item 2): the same figures, Welsh words and mutations."""

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import figures as f
from assessment import phrasing
from test_figures import ANY_NUMBER, NONZERO  # the same wide ranges as the English properties

cy = f.for_language("cy-GB")


def test_the_language_tag_chooses_welsh():
    for tag in ("cy", "cy-GB", "CY", "cy_GB", " cy-gb "):
        assert f.for_language(tag) is f.WELSH
    for tag in ("en-GB", "en", "fr", "", None, "cym-x", "gd"):
        assert f.for_language(tag) in (f.ENGLISH, f.WELSH)
    for tag in ("en-GB", "en", "fr", "", None, "gd", "ga-IE"):
        assert f.for_language(tag) is f.ENGLISH


def test_published_medway_figures_in_welsh():
    assert cy.change(29652, 32541, 1) == "cynnydd o 9.7%"
    assert cy.change(9574, 5641) == "gostyngiad o 41%"
    assert cy.change(100, 100) == "dim newid"
    assert cy.difference(9574, 5641) == "3,933 yn llai"
    assert cy.difference(5641, 9574) == "3,933 yn fwy"
    assert cy.difference(5, 5) == "dim gwahaniaeth"
    assert cy.difference(9574, 5641, "digwyddiad", "digwyddiadau") == "3,933 yn llai o ddigwyddiadau"
    assert cy.per(1000) == "i bob 1,000"
    assert f.rate(32541, 279800) == "116"                      # digits are the same in Welsh
    assert cy.ordinal(11) == "11eg" and cy.ordinal(9) == "9fed"
    assert cy.article("cynnydd o 40%") == "cynnydd o 40%"      # Welsh has no indefinite article
    assert cy.change(176, 247, increase="naid") == "naid o 40%"


@pytest.mark.parametrize("n, expected", [
    (1, "1af"), (2, "2il"), (3, "3ydd"), (4, "4ydd"), (5, "5ed"), (6, "6ed"), (7, "7fed"), (8, "8fed"),
    (9, "9fed"), (10, "10fed"), (11, "11eg"), (12, "12fed"), (13, "13eg"), (14, "14eg"), (15, "15fed"),
    (16, "16eg"), (17, "17eg"), (18, "18fed"), (19, "19eg"), (20, "20fed"), (21, "21ain"), (22, "22ain"),
    (23, "23ain"), (30, "30ain"), (31, "31ain"), (40, "40fed"), (50, "50fed"), (100, "100fed"),
])
def test_welsh_ordinal_abbreviations_as_published(n, expected):
    # parallel.cymru "Ask Dr Gramadeg" (1af … 20fed, 21–31ain); dysgwyr.co.uk (30ain, 40fed, 50fed, 100fed)
    assert cy.ordinal(n) == expected


def test_feminine_ordinals():
    assert cy.ordinal(3, feminine=True) == "3edd" and cy.ordinal(4, feminine=True) == "4edd"
    assert cy.ordinal(5, feminine=True) == "5ed"
    assert f.ordinal(3, feminine=True) == "3rd"


@pytest.mark.parametrize("word, mutated", [
    ("pobl", "bobl"), ("troseddau", "droseddau"), ("cynnydd", "gynnydd"), ("blynyddoedd", "flynyddoedd"),
    ("digwyddiadau", "ddigwyddiadau"), ("gwaith", "waith"), ("merched", "ferched"), ("lladradau", "ladradau"),
    ("rhaglenni", "raglenni"), ("achosion", "achosion"), ("ffigurau", "ffigurau"), ("chwiliadau", "chwiliadau"),
    ("theatrau", "theatrau"), ("dd", "dd"), ("Troseddau", "Droseddau"), ("Gwaith", "Waith"), ("Llyfrau", "Lyfrau"),
    ("", ""), ("nifer", "nifer"), ("sefyllfa", "sefyllfa"),
])
def test_soft_mutation(word, mutated):
    assert phrasing.soft_mutation(word) == mutated


@pytest.mark.parametrize("call, expected", [
    (lambda: cy.difference(5, 6, "digwyddiad", "digwyddiadau"), "un digwyddiad yn fwy"),
    (lambda: cy.difference(6, 5, "trosedd", "troseddau", feminine=True), "un drosedd yn llai"),
    (lambda: cy.difference(6, 5, "llinell", "llinellau", feminine=True), "un llinell yn llai"),  # ll does not mutate after un
    (lambda: cy.difference(6, 5, "rhwystr", "rhwystrau"), "un rhwystr yn llai"),
    (lambda: cy.difference(5, 7, "person", "pobl"), "2 yn fwy o bobl"),
    (lambda: cy.difference(5, 5, "trosedd", "troseddau"), "yr un nifer o droseddau"),
    (lambda: cy.difference(9574, 5641, "digwyddiad", "digwyddiadau", than="yn 2020-21"),
     "3,933 yn llai o ddigwyddiadau nag yn 2020-21"),
    (lambda: cy.difference(5641, 9574, than="y llynedd"), "3,933 yn fwy na'r llynedd"),
    (lambda: cy.difference(5, 5, "digwyddiad", "digwyddiadau", than="yn 2020-21"),
     "yr un nifer o ddigwyddiadau ag yn 2020-21"),
    (lambda: cy.difference(5, 5, "digwyddiad", "digwyddiadau", than="cyfnod 2020-21"),
     "yr un nifer o ddigwyddiadau â chyfnod 2020-21"),
    (lambda: cy.difference(1, 2, than="pum mlynedd yn ôl"), "1 yn fwy na phum mlynedd yn ôl"),
    (lambda: cy.difference(2, 2, than="yr wythnos flaenorol"), "yr un fath â'r wythnos flaenorol"),
    (lambda: cy.count(1, "trosedd", "troseddau", feminine=True), "un drosedd"),
    (lambda: cy.count(27, "person", "pobl"), "27 o bobl"),
    (lambda: cy.count(173147, "trosedd", "troseddau", feminine=True), "173,147 o droseddau"),
    (lambda: cy.count(0, "trosedd", "troseddau"), "dim troseddau"),
])
def test_welsh_counts_and_differences(call, expected):
    assert call() == expected


def test_a_welsh_noun_needs_its_plural():
    with pytest.raises(f.FigureError, match="plural"):
        cy.difference(1, 5, "digwyddiad")
    with pytest.raises(f.FigureError):
        cy.change(0, 5)
    with pytest.raises(f.FigureError):
        cy.ordinal(None)


NUMBER_TEXT = r"\d{1,3}(,\d{3})*(\.\d+)?"
ENGLISH_WORDS = re.compile(r"\b(increase|decrease|more|fewer|no|change|difference|the|than|per|an?)\b|nan|inf")
NOUNS = st.sampled_from([("digwyddiad", "digwyddiadau", False), ("trosedd", "troseddau", True),
                         ("person", "pobl", False), ("llinell", "llinellau", True), ("achos", "achosion", False)])


@settings(max_examples=300, deadline=None)
@given(NONZERO, ANY_NUMBER, st.integers(min_value=0, max_value=3))
def test_welsh_change_is_well_formed(previous, current, decimals):
    text = cy.change(previous, current, decimals)
    assert re.match(rf"^(cynnydd|gostyngiad) o {NUMBER_TEXT}%$|^dim newid$", text), text
    assert not ENGLISH_WORDS.search(text)
    delta = Decimal(str(current)) - Decimal(str(previous))
    assert ("cynnydd" in text and delta > 0) or ("gostyngiad" in text and delta < 0) or text == "dim newid"
    # the same figure as the English phrase, in the Welsh order
    english = f.change(previous, current, decimals)
    assert (english == "no change") == (text == "dim newid")
    if text != "dim newid":
        assert text.split(" o ")[1] == english.split(" ")[0]
    assert cy.article(text) == text and cy.change(previous, current, decimals) == text


@settings(max_examples=300, deadline=None)
@given(ANY_NUMBER, ANY_NUMBER, NOUNS)
def test_welsh_difference_is_well_formed(previous, current, noun):
    singular, plural, feminine = noun
    text = cy.difference(previous, current, singular, plural, feminine=feminine)
    assert not ENGLISH_WORDS.search(text.replace("person", "")), text
    mutated = phrasing.soft_mutation(plural)
    one = "un " + (phrasing.soft_mutation(singular) if feminine and not singular.startswith(("ll", "rh")) else singular)
    pattern = rf"^{NUMBER_TEXT} yn (fwy|llai) o {mutated}$|^{one} yn (fwy|llai)$|^yr un nifer o {mutated}$"
    assert re.match(pattern, text), text
    assert not text.startswith("1 ")  # one is "un" + singular, never "1 … o …"
    english = f.difference(previous, current)
    assert (english == "no difference") == text.startswith("yr un nifer")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10 ** 12), st.booleans())
def test_welsh_ordinal_is_well_formed(n, feminine):
    text = cy.ordinal(n, feminine=feminine)
    assert re.match(r"^\d+(af|il|ydd|edd|ed|fed|eg|ain)$", text), text
    assert text.startswith(str(n))
    if not 21 <= n % 100 <= 99 or n % 100 in (40, 50, 60, 80):
        assert not text.endswith("ain")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijlmnoprstuwyABCDGLMPRT", min_size=1, max_size=12))
def test_soft_mutation_changes_only_the_first_letters(word):
    mutated = phrasing.soft_mutation(word)
    assert mutated[-(len(word) - 2):] == word[-(len(word) - 2):] if len(word) > 2 else True
    assert phrasing.soft_mutation(word) == mutated
    assert len(mutated) in (len(word) - 1, len(word), len(word) + 1)
