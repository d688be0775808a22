"""The pre-scan of an uploaded workbook's parts for a DTD or entity declaration, in every encoding an XML parser
may read them in — before any parser sees them.

An XML parser detects a part's encoding from its first bytes (a byte-order mark, or ``<?xml`` in UTF-16 or
UTF-32, little or big endian) and then from its ``encoding="…"`` declaration. So a part is refused when

- it contains ``<!DOCTYPE`` or ``<!ENTITY`` in UTF-8 (which also covers every ASCII-compatible encoding),
  UTF-16 LE/BE or UTF-32 LE/BE — at any byte offset, with or without a byte-order mark; or
- it starts like XML in a family these patterns do not cover (EBCDIC, UCS-4 in the unusual byte orders), or
  declares an encoding outside UTF-8/UTF-16/UTF-32 and the ASCII-compatible single-byte ones (UTF-7 writes ``<``
  as ``+ADw-``, so no byte pattern could see its declarations).

Every member of the zip is scanned, whatever its name: a worksheet can be named anything in the workbook's
relationships. Office files are UTF-8 or UTF-16, so nothing legitimate is refused.
"""

from __future__ import annotations

import re
import zipfile
from typing import IO, Iterable

_MARKUP = ("<!DOCTYPE", "<!ENTITY")
_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
FORBIDDEN: tuple[bytes, ...] = tuple(m.encode(enc) for m in _MARKUP for enc in ("utf-8", *_WIDE))
_OVERLAP = max(len(p) for p in FORBIDDEN)
CHUNK = 1024 * 1024

# the first four bytes of an XML document in encodings outside the scanned families (XML 1.0, appendix F)
_UNSCANNED_STARTS = (b"\x00\x00\x3c\x00", b"\x00\x3c\x00\x00",  # UCS-4, byte orders 2143 and 3412 ...
                     b"\x00\x00\xff\xfe", b"\xfe\xff\x00\x00",  # ... and their byte-order marks
                     b"\x4c\x6f\xa7\x94")  # "<?xm" in EBCDIC
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_STARTS = ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00?\x00", "utf-16-le"),
           (b"\x00<\x00?", "utf-16-be"))
_DECLARED = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]*)["']""")
_ALLOWED = re.compile(r"^(utf-?8|utf-?16(le|be)?|utf-?32(le|be)?|ucs-?2|ucs-?4|(us-)?ascii|iso-?8859-\d+|"
                      r"iso_8859-\d+|latin-?\d|(windows|cp)-?125\d)$", re.IGNORECASE)


def _family(head: bytes) -> str:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    for start, name in _STARTS:
        if head.startswith(start):
            return name
    return "utf-8"


def unsafe_start(head: bytes) -> bool:
    """The first bytes (at least 4; 200 or more to see the declaration) of a part name an encoding that the byte
    patterns cannot see through."""
    if any(head.startswith(start) for start in _UNSCANNED_STARTS):
        return True
    family = _family(head)
    text = head.decode(family, errors="ignore").lstrip("\ufeff")
    declared = _DECLARED.match(text)
    return bool(declared) and not _ALLOWED.match(declared.group(1))


def has_dtd_or_entity(stream: IO[bytes]) -> bool:
    """Read ``stream`` to its end in chunks; True as soon as a forbidden declaration (or an encoding that could
    hide one) is seen."""
    tail = b""
    first = True
    while chunk := stream.read(CHUNK):
        window = tail + chunk
        if first and unsafe_start(window[:512]):
            return True
        first = False
        if any(pattern in window for pattern in FORBIDDEN):
            return True
        tail = window[-_OVERLAP:]
    return False


def count_markup(archive: zipfile.ZipFile, infos: Iterable[zipfile.ZipInfo]) -> int:
    """How many ``<`` the parts hold: at least one per element (cell, value, row…) in every encoding, so it bounds
    what a parser would build, before any parser runs."""
    total = 0
    for info in infos:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                total += chunk.count(b"<")
    return total
