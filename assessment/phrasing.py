"""The words around a figure, per language: English (every language tag that is not Welsh) and Welsh.

``figures.py`` computes and rounds; this module only phrases what it is given, already written
as digits ('40%', '3,933'). Each Welsh term below names where it is used in published Welsh text.

English rules
-------------
* The indefinite article goes by how the figure is *said*: "an" before eight, eleven, eighteen,
  eighty-…, eight hundred …, eleven thousand … (8, 11, 18, 80–89, 800–899, 8,000, 11,000,
  18,000, 80,000, 800,000, 8 million …), "a" before every other figure (1, 100, 110, 180, 1,800,
  0.8, and a figure with a sign: "a -5% change" is said "minus five"). Words ("no change") take
  no article.
* A count with a noun is singular only when it prints exactly "1" ("1 more incident",
  "1.0 more incidents", "3,933 fewer incidents"); no difference is "the same number of
  incidents" (or "no difference" without a noun).

Welsh rules (sources in the comments beside each term)
------------------------------------------------------
* Figures are written in digits with a comma for thousands and a point for decimals, in counts
  and percentages alike, as published Welsh-language crime statistics do ("173,147 o droseddau",
  "27 o bobl", "cynnydd o 2.5%": BBC Cymru Fyw, see below). So no number is written in words,
  save the one place a phrase needs it: a count of exactly one with its noun. A Welsh noun after a
  numeral is singular, and "1 o ddigwyddiadau" is not Welsh, so one is "un digwyddiad" / "un
  drosedd" (the word "un", which soft-mutates a feminine noun except one beginning ll or rh);
  every other count is digits + "o" + the plural with soft mutation ("3,933 o ddigwyddiadau").
* Welsh has no indefinite article: ``article`` returns the phrase unchanged.
"""

from __future__ import annotations

import re

# A figure phrase that starts with a number: an optional sign, an optional currency sign, digits
# with optional thousands commas, optional decimals.
_LEADING_FIGURE = re.compile(r"^([+\-\u2212]?)([£$€]?)(\d[\d,]*)(\.\d+)?")


def _said_with_an(digits: str) -> bool:
    """Whether the whole number written as ``digits`` (commas allowed) is said starting with a
    vowel sound: eight…, eleven…, eighteen…, eighty…."""
    whole = digits.replace(",", "").lstrip("0") or "0"
    lead = len(whole) % 3 or 3  # the group said first: '11' of 11,000; '180' of 180
    group = int(whole[:lead])
    if group >= 100:
        return group // 100 == 8  # "eight hundred …"; 1xx is "a hundred …"
    if group >= 10:
        return group in (11, 18) or group // 10 == 8
    return group == 8


class English:
    language = "en"
    needs_plural = False  # English plurals are made by rule; Welsh ones must be given
    no_change = "no change"
    no_difference = "no difference"
    increase, decrease = "increase", "decrease"
    more, fewer = "more", "fewer"

    # ----- the article
    def article(self, phrase) -> str:
        text = phrase if isinstance(phrase, str) else str(phrase)
        match = _LEADING_FIGURE.match(text.lstrip())
        if not match:
            return text  # words ("no change", "the same number of …") take no article here
        sign, _currency, digits, _decimals = match.groups()
        if sign:
            return f"a {text}"  # "plus …", "minus …"
        return f"{'an' if _said_with_an(digits) else 'a'} {text}"

    # ----- changes
    def change(self, size: str, up: bool, increase: str | None, decrease: str | None) -> str:
        word = (increase or self.increase) if up else (decrease or self.decrease)
        return f"{size} {word}"

    # ----- counts and differences
    def noun_forms(self, noun: str, plural: str | None) -> tuple[str, str]:
        return noun, plural or english_plural(noun)

    def count(self, written: str, noun: str, plural: str | None, feminine: bool) -> str:
        singular, many = self.noun_forms(noun, plural)
        if written == "0":
            return f"no {many}"
        return f"{written} {singular if written == '1' else many}"

    def difference(self, written: str | None, up: bool, noun: str | None, plural: str | None,
                   more: str | None, fewer: str | None, than: str | None, feminine: bool) -> str:
        """``written`` is the size of the difference in digits, or None when there is none."""
        if written is None:
            if noun is None:
                phrase = self.no_difference if than is None else "the same"
            else:
                phrase = f"the same number of {self.noun_forms(noun, plural)[1]}"
            return phrase if than is None else f"{phrase} as {than}"
        word = (more or self.more) if up else (fewer or self.fewer)
        if noun is None:
            phrase = f"{written} {word}"
        else:
            singular, many = self.noun_forms(noun, plural)
            phrase = f"{written} {word} {singular if written == '1' else many}"
        return phrase if than is None else f"{phrase} than {than}"

    def per(self, written: str) -> str:
        return f"per {written}"

    # ----- ordinals
    def ordinal(self, whole: int, feminine: bool) -> str:
        if 10 <= whole % 100 <= 20:
            suffix = "th"
        else:
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
        return f"{whole}{suffix}"


_IRREGULAR_PLURALS = {"person": "people", "child": "children", "man": "men", "woman": "women",
                      "police officer": "police officers"}


def english_plural(noun: str) -> str:
    """The regular English plural of the last word of ``noun`` ('incident' → 'incidents',
    'burglary' → 'burglaries', 'offence' → 'offences', 'person' → 'people')."""
    head, _, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[lower]
        plural = plural.capitalize() if last[:1].isupper() else plural
    elif re.search(r"(s|x|z|ch|sh)$", lower):
        plural = last + "es"
    elif re.search(r"[^aeiou]y$", lower):
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


# ---------------------------------------------------------------------------------------- Welsh
# Soft mutation (treiglad meddal): p→b, t→d, c→g, b→f, d→dd, g→(dropped), m→f, ll→l, rh→r.
# After "o" every one of these applies ("llai o droseddau", "o ddigwyddiadau": Golwg360,
# https://golwg.360.cymru/newyddion/prydain/135097-ffigurau-troseddu-n-cwympo, "llai o droseddau",
# "llai o ddwyn"). After "un" a feminine singular noun takes it except ll and rh ("Nid yw enw
# benywaidd sy'n dechrau â 'll' neu 'rh' yn treiglo ar ôl 'un'": Rhifolion a threiglad,
# https://cdn.slideserve.com/shiloh/rhifolion-a-threiglad).
_SOFT = (("ll", "l"), ("rh", "r"), ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"), ("d", "dd"),
         ("g", ""), ("m", "f"))
# Aspirate mutation (treiglad llaes) after "na" (than) and "â" (as): c→ch, p→ph, t→th.
_ASPIRATE = (("c", "ch"), ("p", "ph"), ("t", "th"))
# Digraphs that begin with a mutable letter but are not mutated as it (ch, ph, th, dd, ff, ng).
_UNMUTABLE = ("ch", "ph", "th", "dd", "ff", "ng")


def _mutate(word: str, table, *, except_=()) -> str:
    if not word:
        return word
    lower = word.lower()
    if lower.startswith(_UNMUTABLE) or lower.startswith(tuple(except_)):
        return word
    for radical, mutated in table:
        if lower.startswith(radical):
            rest = word[len(radical):]
            if word[:1].isupper():
                if mutated:
                    return mutated[:1].upper() + mutated[1:] + rest
                return rest[:1].upper() + rest[1:]  # "Gwaith" → "Waith"
            return mutated + rest
    return word


def soft_mutation(phrase: str) -> str:
    """The first word of ``phrase`` with the Welsh soft mutation: 'cynnydd o 9%' → 'gynnydd o 9%',
    'digwyddiadau' → 'ddigwyddiadau', 'troseddau' → 'droseddau'."""
    text = phrase if isinstance(phrase, str) else str(phrase)
    return _mutate(text, _SOFT)


def aspirate_mutation(phrase: str) -> str:
    """The first word of ``phrase`` with the Welsh aspirate mutation: 'cyfnod' → 'chyfnod'."""
    text = phrase if isinstance(phrase, str) else str(phrase)
    return _mutate(text, _ASPIRATE)


def _starts_with_vowel(text: str) -> bool:
    # Welsh vowels, with their accented forms; "yn 2021-22", "ym mis", "ei" take "nag"/"ag".
    return text[:1].lower() in "aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ"


class Welsh(English):
    language = "cy"
    needs_plural = True
    # "dim newid" (no change): BBC Cymru Fyw, "Dim newid yn y ffigyrau diweithdra"
    # (https://www.bbc.co.uk/cymrufyw/32720291). "dim gwahaniaeth" (no difference): "dim" + noun
    # as in "dim newid"; the phrase itself is in Welsh software localisations (Mozilla's
    # "Dim gwahaniaeth"; a version-comparison screen's "Dim gwahaniaethau") and "gwahaniaeth" for
    # a gap between figures in Welsh prose ("Mae yna wahaniaeth sylweddol …"), but no statistical
    # report using it was found: confirm against TermCymru before a Welsh report is published.
    no_change = "dim newid"
    no_difference = "dim gwahaniaeth"
    # "cynnydd o 2.5%", "gostyngiad o 3%": BBC Cymru Fyw, "Gostyngiad o 3% mewn troseddu yng
    # Nghymru yn 2013" (https://www.bbc.com/cymrufyw/27138001: "Bu gostyngiad o 3% yn nifer y
    # troseddau … bu cynnydd o 2% mewn troseddu") and https://www.bbc.com/cymrufyw/36102749
    # ("Bu cynnydd o 2.5% yn nifer y troseddau a gofnodwyd"); UK Government Welsh news,
    # "gostyngiad cyffredinol o 8% yn y troseddau a gofnodwyd"
    # (https://www.gov.uk/government/news/cheryl-gillan-welcomes-further-fall-in-crime-in-wales.cy);
    # Gwynedd & Môn PDC minutes, "y cynnydd cyffredinol"
    # (https://democratiaeth.gwynedd.llyw.cymru/mgAi.aspx?ID=24777&LLL=1).
    increase, decrease = "cynnydd", "gostyngiad"
    # "1,156 yn fwy na'r llynedd", "1,725 yn llai nag oedd …": BBC Cymru, Cylchgrawn blog
    # "Cyfrif pennau", 27 Mai 2009 (bbc.co.uk/blogs/cylchgrawn/2009/05/cyfrif_pennau.shtml, read
    # at a mirror of it); "9% yn llai o droseddau": Golwg360,
    # https://golwg.360.cymru/newyddion/prydain/115949-nifer-y-troseddau-n-gostwng
    more, fewer = "yn fwy", "yn llai"

    def article(self, phrase) -> str:
        return phrase if isinstance(phrase, str) else str(phrase)

    def change(self, size: str, up: bool, increase: str | None, decrease: str | None) -> str:
        word = (increase or self.increase) if up else (decrease or self.decrease)
        return f"{word} o {size}"  # "cynnydd o 9.7%", "gostyngiad o 41%"

    def noun_forms(self, noun: str, plural: str | None) -> tuple[str, str]:
        return noun, plural or noun  # figures.py asks for the plural first (needs_plural)

    def _one(self, noun: str, feminine: bool) -> str:
        # "un" + singular; a feminine noun soft-mutates except ll-, rh- (source above).
        return "un " + (_mutate(noun, _SOFT, except_=("ll", "rh")) if feminine else noun)

    def count(self, written: str, noun: str, plural: str | None, feminine: bool) -> str:
        singular, many = self.noun_forms(noun, plural)
        if written == "0":
            return f"dim {many}"  # "dim troseddau"
        if written == "1":
            return self._one(singular, feminine)
        # digits + "o" + soft-mutated plural: "1,353 o droseddau", "27 o bobl" (BBC Cymru Fyw,
        # https://feeds.bbci.co.uk/cymrufyw/48054204); "173,147 o droseddau" (cymrufyw/27138001).
        return f"{written} o {soft_mutation(many)}"

    def _than(self, than: str, *, same: bool) -> str:
        # "na"/"nag" (than) and "â"/"ag" (as): the -g form before a vowel ("yn llai nag yn y ddwy
        # flynedd flaenorol": BBC Cymru Fyw, https://feeds.bbci.co.uk/cymrufyw/48054204;
        # "yn fwy na'r llynedd"); both take the aspirate mutation of c, p, t.
        article = re.match(r"(?i)yr? (?=\S)", than)
        if article:  # the definite article joins on: "yn fwy na'r llynedd" (BBC Cymru, source above)
            return f"{'â' if same else 'na'}'r {than[article.end():]}"
        if _starts_with_vowel(than):
            return f"{'ag' if same else 'nag'} {than}"
        return f"{'â' if same else 'na'} {aspirate_mutation(than)}"

    def difference(self, written: str | None, up: bool, noun: str | None, plural: str | None,
                   more: str | None, fewer: str | None, than: str | None, feminine: bool) -> str:
        if written is None:
            if noun is None:
                if than is None:
                    return self.no_difference
                return f"yr un fath {self._than(than, same=True)}"  # "the same as"
            # "yr un nifer o ddigwyddiadau": the same number of incidents ("yr un" = the same, as
            # in "dros yr un cyfnod": BBC Cymru Fyw, https://feeds.bbci.co.uk/cymrufyw/40669355;
            # "yr un nifer o" itself not found in a published report by the searches made).
            phrase = f"yr un nifer o {soft_mutation(self.noun_forms(noun, plural)[1])}"
            return phrase if than is None else f"{phrase} {self._than(than, same=True)}"
        word = (more or self.more) if up else (fewer or self.fewer)
        if noun is None:
            phrase = f"{written} {word}"
        else:
            singular, many = self.noun_forms(noun, plural)
            if written == "1":
                phrase = f"{self._one(singular, feminine)} {word}"  # "un digwyddiad yn fwy"
            else:
                phrase = f"{written} {word} o {soft_mutation(many)}"  # "3,933 yn llai o ddigwyddiadau"
        return phrase if than is None else f"{phrase} {self._than(than, same=False)}"

    def per(self, written: str) -> str:
        # "38 i bob 1,000 o'r boblogaeth": Golwg360, https://golwg360.cymru/newyddion/cymru/
        # 193640-dyfed-powys-y-gyfradd-troseddau-isaf-yng-nghymru-a-lloegr ("62.9 o droseddau am
        # bob 1,000 o'r boblogaeth" in the same article).
        return f"i bob {written}"

    def ordinal(self, whole: int, feminine: bool) -> str:
        return f"{whole}{welsh_ordinal_suffix(whole, feminine)}"


# Welsh ordinal abbreviations take the ending of the last word of the ordinal as said:
# 1af (cyntaf), 2il (ail), 3ydd/3edd (trydydd/trydedd), 4ydd/4edd (pedwerydd/pedwaredd), 5ed,
# 6ed, 7fed … 10fed, 11eg (unfed ar ddeg), 12fed, 13eg, 14eg, 15fed, 16eg, 17eg, 18fed (deunawfed),
# 19eg, 20fed (ugeinfed), 21ain–39ain (… ar hugain), 40fed (deugeinfed), 50fed (hanner canfed),
# 100fed (canfed). Sources: "Ask Dr Gramadeg: introducing cardinal and ordinal numbers",
# https://parallel.cymru/ask-dr-gramadeg-introducing-cardinal-and-ordinal-numbers/ (1af … 20fed,
# 21–31ain); http://dysgwyr.co.uk/Resources/Numbers (3edd, 4edd feminine; 23ain, 30ain, 31ain,
# 40fed, 50fed, 100fed). 41–99 follow the same rule of the last word said: 60 trigeinfed and 80
# pedwar ugeinfed end in -fed, 41–59 "… a deugain", 61–79 "… a thrigain", 81–99 "… a phedwar
# ugain" end in -ain (Wiktionary "deugain": "41 to 59 use a … un a deugain"). Above 100 the
# ending is that of the last two digits (round hundreds -fed, as canfed, milfed): this library's
# extension of the rule, for ranks the sources do not list.
_WELSH_ORDINAL_1_20 = {1: "af", 2: "il", 3: "ydd", 4: "ydd", 5: "ed", 6: "ed", 7: "fed", 8: "fed",
                       9: "fed", 10: "fed", 11: "eg", 12: "fed", 13: "eg", 14: "eg", 15: "fed",
                       16: "eg", 17: "eg", 18: "fed", 19: "eg", 20: "fed"}


def welsh_ordinal_suffix(whole: int, feminine: bool = False) -> str:
    rest = whole % 100 if whole > 100 else whole
    if rest == 0 or rest in (40, 50, 60, 80, 100):
        return "fed"
    if rest <= 20:
        if feminine and rest in (3, 4):
            return "edd"  # trydedd, pedwaredd
        return _WELSH_ORDINAL_1_20[rest]
    return "ain"  # … ar hugain, … a deugain, … a thrigain, … a phedwar ugain; 70 deg a thrigain


ENGLISH = English()
WELSH = Welsh()


def for_language(tag: str | None) -> English:
    """Welsh for 'cy', 'cy-GB', 'cy_GB' (any case); English for every other tag."""
    primary = re.split(r"[-_]", (tag or "").strip().lower(), maxsplit=1)[0]
    return WELSH if primary in ("cy", "cym", "wel") else ENGLISH
