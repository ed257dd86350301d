"""Where links may go, and web addresses written bare in text made into links: one rule for
narrative (Markdown), captions and every writer.

A web address on a page should be a link (GOV.UK's guidance and Word's accessibility checker
both ask it), and an analyst types "www.ons.gov.uk" rather than Markdown link syntax.
"""

from __future__ import annotations

import re

from linkify_it import LinkifyIt

from .model import Text

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


class Finder:
    """linkify-it's answers, asked only of texts that may hold an address, without compiling the
    patterns a process's texts cannot need.

    linkify-it compiles each of its large patterns on first use, anew in every process (its quick
    check about 6 ms, the e-mail pattern about 12 ms), and runs them over every text it is given
    (about 40 ms a Medway build, most of its 500 texts being sentences). What it can find: an
    address with a scheme ("http:", "https:", "ftp:", "mailto:", or "//"), an e-mail ("@"), or
    one without a scheme, whose host it first looks for as "localhost", "www.", a dot before an
    IP address's next number, or a dot before a top-level domain, all case-insensitively. So a
    text holding none of ":", "//", "@", "localhost", "www." or a dot followed by a letter or a
    digit holds no address: a sentence's full stop is followed by a space. The e-mail pattern
    needs an "@", so a text without one is matched by an instance that leaves e-mail out. Each
    answer is the full instance's (tests/test_startup.py compares them on random and real text)."""

    # what any address linkify-it finds holds, in its own case-insensitive terms
    _MAY_HOLD_AN_ADDRESS = re.compile(r"[:@]|//|localhost|www\.|\.[^\W_]", re.IGNORECASE)

    def __init__(self) -> None:
        self._full = LinkifyIt()
        self._without_email = LinkifyIt(options={"fuzzy_email": False})

    def _for(self, text: str) -> LinkifyIt:
        return self._full if "@" in text else self._without_email

    def pretest(self, text: str) -> bool:
        return self._MAY_HOLD_AN_ADDRESS.search(text) is not None

    def test(self, text: str) -> bool:
        return self.pretest(text) and self._for(text).test(text)

    def match(self, text: str):
        return self._for(text).match(text) if self.pretest(text) else None

    def match_at_start(self, text: str):
        return self._full.match_at_start(text)  # a scheme's link ("https://…"): no e-mail guessing


FINDER = Finder()


def allowed(target: str) -> str | None:
    """``target`` if a document may link to it (web pages and e-mail), else None."""
    return target if target.lower().startswith(ALLOWED_SCHEMES) else None


def bare_address_target(guessed: str, written: str) -> str:
    """The target of an address written without a scheme ("www.ons.gov.uk"): linkify guesses
    http, and public sites serve https; an address written with its scheme keeps it."""
    if guessed.startswith("http://") and not written.lower().startswith("http://"):
        return "https://" + guessed[len("http://"):]
    return guessed


def linked(text: str, *, bold: bool = False, italic: bool = False) -> tuple[Text, ...]:
    """``text`` as spans, each web or e-mail address in it a link."""
    spans, position = [], 0
    for match in FINDER.match(text) or ():
        target = allowed(bare_address_target(match.url, match.text))
        if target is None:
            continue
        if match.index > position:
            spans.append(Text(text[position:match.index], bold, italic))
        spans.append(Text(match.text, bold, italic, target))
        position = match.last_index
    if position < len(text) or not spans:
        spans.append(Text(text[position:], bold, italic))
    return tuple(spans)
