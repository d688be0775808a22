"""Text normalisation for search: lower case, Latvian diacritics (and any other combining marks) removed."""

from __future__ import annotations

import re
import unicodedata

_LATVIAN = str.maketrans("āčēģīķļņšūžō", "acegiklnsuzo")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``"Cēsu novada Grants"`` → ``"cesu novada grants"``: what ``PublishedMeasure.search_text`` holds, so that
    a query normalised the same way matches with or without diacritics (ā→a, č→c, ē→e, ģ→g, ī→i, ķ→k, ļ→l,
    ņ→n, š→s, ū→u, ž→z)."""
    lowered = text.lower().translate(_LATVIAN)
    stripped = "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped).strip()
