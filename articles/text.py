"""Text normalisation used to recognise the same article arriving twice."""

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Characters no text column can hold: PostgreSQL refuses NUL, and an unpaired surrogate
# (a JSON escape such as "\ud800", a feed's "&#xd800;") is not Unicode text at all.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def normalise_text(text: str) -> str:
    """Unicode-normalised, case-folded text with runs of whitespace collapsed.

    Two copies of an article that differ only in line wrapping, spacing or case
    normalise to the same string.
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
