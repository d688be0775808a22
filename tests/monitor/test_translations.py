"""The Latvian catalog is complete, consistent with the source, and uses the right plural forms.

If a test here fails after you added or changed a string, run (from the project root):

    .venv/bin/pybabel extract -F monitor/babel.cfg -k _l -k lazy_gettext -o monitor/translations/messages.pot monitor
    .venv/bin/pybabel update -i monitor/translations/messages.pot -d monitor/translations -l lv

then translate the new entries in monitor/translations/lv/LC_MESSAGES/messages.po (and remove ``#, fuzzy``).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "monitor" / "translations" / "lv" / "LC_MESSAGES" / "messages.po"
BABEL_CFG = ROOT / "monitor" / "babel.cfg"

# Python %-format placeholders: %(name)s, %(num)d, %d, %5.2f … ("%%" is a literal percent sign, not a placeholder).
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<conv>[diouxXeEfFgGcrsa%])")


def placeholders(text: str) -> set[tuple[str, str]]:
    return {(m["name"] or "", m["conv"]) for m in PLACEHOLDER.finditer(text) if m["conv"] != "%"}


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


def describe(message: Message) -> str:
    return repr(message.id if isinstance(message.id, str) else message.id[0])


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO_FILE.open("rb") as fp:
        return read_po(fp, locale="lv")


def entries(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)  # skip the header entry


def test_header_is_latvian_with_three_plural_forms(catalog: Catalog) -> None:
    assert str(catalog.locale) == "lv"
    assert not catalog.fuzzy, "the catalog header is marked fuzzy: pybabel compile would skip the whole catalog"
    expected = get_plural("lv")
    assert catalog.num_plurals == expected.num_plurals == 3
    assert catalog.plural_expr.replace(" ", "") == expected.plural_expr.replace(" ", "")


def test_every_entry_translated_and_not_fuzzy(catalog: Catalog) -> None:
    untranslated = [describe(m) for m in entries(catalog) if not all(s.strip() for s in forms(m.string))]
    fuzzy = [describe(m) for m in entries(catalog) if m.fuzzy]
    assert not untranslated, f"untranslated entries: {untranslated}"
    assert not fuzzy, f"fuzzy entries (check them and remove '#, fuzzy'): {fuzzy}"


def test_plural_entries_have_every_form(catalog: Catalog) -> None:
    for m in entries(catalog):
        if m.pluralizable:
            assert len(forms(m.string)) == catalog.num_plurals, f"{describe(m)}: needs {catalog.num_plurals} forms"


def test_placeholders_match(catalog: Catalog) -> None:
    problems = []
    for m in entries(catalog):
        expected: set[tuple[str, str]] = set()
        for source in forms(m.id):
            expected |= placeholders(source)
        for index, translated in enumerate(forms(m.string)):
            found = placeholders(translated)
            if found != expected:
                problems.append(f"{describe(m)} msgstr[{index}]: expected {sorted(expected)}, found {sorted(found)}")
    assert not problems, "\n".join(problems)


def test_translations_format_without_errors(catalog: Catalog) -> None:
    """Every translation can be %-formatted with the values its msgid takes (a typo like "%(num)" would raise)."""
    for m in entries(catalog):
        names = {name for source in forms(m.id) for name, _conv in placeholders(source) if name}
        if not names:
            continue
        values = {name: 3 for name in names}
        for translated in forms(m.string):
            translated % values  # noqa: B018 - raises on a broken placeholder


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0 kļūdu"), (1, "1 kļūda"), (2, "2 kļūdas"), (5, "5 kļūdas"), (10, "10 kļūdu"), (11, "11 kļūdu"),
     (12, "12 kļūdu"), (21, "21 kļūda"), (22, "22 kļūdas"), (101, "101 kļūda"), (111, "111 kļūdu")],
)
def test_plural_forms_pick_the_right_latvian_form(catalog: Catalog, n: int, expected: str) -> None:
    """msgstr[0] is for 0, 10–20, 30, … (genitive), [1] for 1, 21, 31, … (singular), [2] for the rest (plural)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = Translations(buffer)
    assert translations.ngettext("%(num)d error", "%(num)d errors", n) % {"num": n} == expected
    # Babel's CLDR rule agrees with the catalog's C expression.
    category = Locale("lv").plural_form(n)
    assert {"zero": 0, "one": 1, "other": 2}[category] == translations.plural(n)


def pybabel() -> list[str]:
    script = Path(sys.executable).parent / "pybabel"
    return [str(script)] if script.exists() else [sys.executable, "-m", "babel.messages.frontend"]


def test_every_source_string_is_in_the_catalog(catalog: Catalog, tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    result = subprocess.run(
        [*pybabel(), "-q", "extract", "-F", str(BABEL_CFG), "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "monitor"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, f"pybabel extract failed:\n{result.stderr}"
    with pot.open("rb") as fp:
        extracted = read_po(fp)
    missing = []
    for m in entries(extracted):
        key = m.id if isinstance(m.id, str) else m.id[0]
        found = catalog.get(key, context=m.context)
        if found is None or found.id != m.id or not all(s.strip() for s in forms(found.string)) or found.fuzzy:
            missing.append(repr(m.id))
    assert len(list(entries(extracted))) > 50, "extraction found suspiciously few strings; is babel.cfg right?"
    assert not missing, (
        "strings in the source without a Latvian translation (run pybabel extract + update, then translate):\n"
        + "\n".join(missing)
    )
