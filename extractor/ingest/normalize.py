"""Text normalisation that keeps a map back to the original characters.

The map is the identity by construction: every rewrite here replaces one character by one
character (full-width digits and punctuation to ASCII, exotic spaces to a plain space), so an
offset into the normalised text is the same offset into the ingested text. Thousands separators
are not removed from the text; numbers are read with them (`extractor.numbers`). Line endings are
unified to `\\n` before the text is stored, so the stored text is the "text as ingested".
"""

from __future__ import annotations

_ONE_TO_ONE = {
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "\uff0e": ".",  # ．
    "\uff05": "%",  # ％
    "\uff0d": "-",  # －
    "\u3000": " ",  # ideographic space
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200b": " ",  # zero-width space: kept as a space so offsets do not move
    "\ufeff": " ",
    "\uff1e": ">",
    "\uff1c": "<",
    "\uff1d": "=",
}
_TABLE = str.maketrans(_ONE_TO_ONE)


def unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CONTROLS = str.maketrans(
    {chr(c): " " for c in [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}
)


def clean_controls(text: str) -> str:
    """Control characters other than tab, newline and the page break become spaces (one for one, so no
    offset moves); a form feed not on a line of its own gets line breaks around it."""
    text = text.translate(_CONTROLS)
    if "\f" in text:
        import re

        text = re.sub(r"\n?\f+\n?", "\n\f\n", text)
    return text


def normalized_view(text: str) -> str:
    """The text with one-to-one character rewrites; same length as `text`."""
    out = text.translate(_TABLE)
    assert len(out) == len(text)
    return out
