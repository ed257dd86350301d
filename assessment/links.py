"""Where links may go, and web addresses written bare in text made into links: one rule for
narrative (Markdown), captions and every writer.

A web address on a page should be a link (GOV.UK's guidance and Word's accessibility checker
both ask it), and an analyst types "www.ons.gov.uk" rather than Markdown link syntax.
"""

from __future__ import annotations

from linkify_it import LinkifyIt

from .model import Text

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
_FINDER = LinkifyIt()


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
    for match in _FINDER.match(text) or ():
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
