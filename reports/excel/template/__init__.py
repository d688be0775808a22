"""A municipality's yearly return as a prefilled Excel template, and reading the filled-in template back.

Layout (``TEMPLATE_FORMAT`` "1"):

- ``Norādījumi`` / ``Instructions``: how to fill in the file (Latvian and English), which municipality, year and
  form version it is for.
- one sheet per section (title from the section title, in the template's language): row 1 is a header, then one
  row per top-level question. Column A the key (grey, locked), B the question (locked), C the answer (yellow,
  unlocked), D notes: required, type, range, unit, "hard to say" allowed, "answer only if …", help (locked).
  Choice answers are the labels, with a drop-down (lists on the hidden ``_lists`` sheet). Numbers that allow
  "hard to say" get a drop-down with that one entry that still accepts any number. A multi-choice question is a
  locked question row (key ``field``) followed by one row per option (key ``field=code``) answered Jā/Nē.
  A repeating group is a row (key ``group``) that points to the group's sheet.
- one sheet per repeating group, after its section's sheet (title from the group label; " (tabula)" / " (table)"
  when a section has the same title): row 1 keys (``_uid``, then the child keys), row 2 labels with the notes as
  comments, then one row per existing entry (column A its id, grey and locked) and empty unlocked rows up to the
  group's ``max_rows``. Multi-choice answers in a group cell are labels separated by ``;``.
- ``_lists`` (hidden): the drop-down lists. ``_meta`` (very hidden): municipality, year, definition version,
  template format, the return's version and the fingerprint of every answer as downloaded.

Sheets are protected (without a password: this guides, it does not secure — the reader checks everything again)
and the workbook structure is locked, so sheets are not renamed by accident.

The package, by job: ``layout`` (the shape both sides share: sheet names, interface words, question lines, sheet
titles), ``cells`` (what the writer puts in a cell, and the notes column), ``writing`` (``write_template``) and
``reading`` (``read_template``).
"""

from __future__ import annotations

from .layout import LISTS_SHEET, MAGIC, META_SHEET, sheet_titles
from .reading import read_template
from .writing import write_template

__all__ = ["LISTS_SHEET", "MAGIC", "META_SHEET", "read_template", "sheet_titles", "write_template"]
