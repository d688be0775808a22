"""The 2021 administrative-territorial reform: the 119 former municipalities and their successors among the 43.

Pure (no Flask, no database): it reads ``monitor/data/reform-2021.json`` once (cached) and, for names only, the
registry file ``monitor/data/municipalities.json``. Proper names are Latvian and are not translated; a former
municipality's kind is a code (``novads`` / ``republic_city``) that a page translates.

- ``predecessors(slug)`` — the former municipalities a municipality was formed from (for a divided one, only the
  territorial units that went to this successor, in ``parts``).
- ``successor_of(name_or_atvk)`` — the successor of a pre-reform name ("Priekuļu novads", "priekulu nov.",
  "Jēkabpils pilsēta", "Jēkabpils") or ATVK code ("0427300", "LV0427300"); for a divided municipality the result
  says so (``split``) and lists the candidates: it never guesses.
- ``match_unit(text, year, known)`` — how the bulk import reads a row's municipality: a slug, a current name or a
  pre-reform name/code, the latter reported as such.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Collection

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REFORM_FILE = DATA_DIR / "reform-2021.json"
REGISTRY_FILE = DATA_DIR / "municipalities.json"
#: the first year whose data are of the 43 municipalities (the reform took effect on 1 July 2021)
REFORM_YEAR = 2021

KINDS = ("novads", "republic_city")
_NOVADS, _CITY = "novads", "city"
# suffixes after the stem, normalised; the longest first
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("republikas pilseta", _CITY), ("republikas nozimes pilseta", _CITY), ("valstspilseta", _CITY),
    ("pilseta", _CITY), ("pils", _CITY), ("novada pasvaldiba", _NOVADS), ("novads", _NOVADS), ("novada", _NOVADS),
    ("nov", _NOVADS),
)
_ATVK_RE = re.compile(r"^(?:lv)?\s*(\d{7})$")
# a former republic city's stem in the genitive ("Rīgas pilsēta") → its nominative ("Rīga")
_CITY_GENITIVE = {"rigas": "riga", "jelgavas": "jelgava", "jurmalas": "jurmala", "liepajas": "liepaja",
                  "rezeknes": "rezekne", "valmieras": "valmiera"}


@dataclass(frozen=True)
class Share:
    """A successor of a former municipality and the territorial units that went to it (empty: all of it)."""

    slug: str
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Former:
    """A municipality as it was before 1 July 2021.

    From ``predecessors(slug)``, ``parts`` are the territorial units (pagasti, towns) that went to that successor
    when the former municipality was divided (``split``); empty when all of it did."""

    name: str  # Latvian, e.g. "Priekuļu novads", "Jēkabpils" (a republic city)
    kind: str  # "novads" | "republic_city"
    atvk: str | None
    shares: tuple[Share, ...]
    parts: tuple[str, ...] = ()

    @property
    def split(self) -> bool:
        return len(self.shares) > 1

    @property
    def successor_slugs(self) -> tuple[str, ...]:
        return tuple(s.slug for s in self.shares)

    @property
    def kind_lv(self) -> str:
        return "novads" if self.kind == "novads" else "republikas pilsēta"


@dataclass(frozen=True)
class Successor:
    """What a pre-reform name became: ``slug`` when it went whole to one municipality; None when it was divided
    (``split``), and then ``candidates`` are every successor (with ``former.shares`` telling which parts)."""

    former: Former
    slug: str | None
    candidates: tuple[str, ...]

    @property
    def split(self) -> bool:
        return self.slug is None


@dataclass(frozen=True)
class UnitMatch:
    """How a municipality cell of an import reads: ``slug`` to count the row as (None: not known, or divided);
    ``former`` when the text named a pre-reform municipality."""

    slug: str | None
    former: Former | None = None
    candidates: tuple[str, ...] = ()

    @property
    def split(self) -> bool:
        return self.former is not None and self.former.split and self.slug is None


def normalise_name(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces, single spaces: "Priekuļu nov." → "priekulu nov"."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).replace("_", " ").split())


def _stem(text: str) -> tuple[str, str | None]:
    """The name without its kind ("cesu", "novads"), or with no kind word (stem, None)."""
    name = normalise_name(text)
    for suffix, kind in _SUFFIXES:
        if name.endswith(" " + suffix):
            return name[: -len(suffix) - 1].strip(), kind
    return name, None


@dataclass(frozen=True)
class _Table:
    former: tuple[Former, ...]
    by_novads: dict[str, Former]
    by_city: dict[str, Former]
    by_atvk: dict[str, Former]
    names: dict[str, str]  # slug → Latvian name of the 43
    current_novads: dict[str, str]  # stem → slug
    current_city: dict[str, str]
    source: dict


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = json.loads(REFORM_FILE.read_text(encoding="utf-8"))
    registry = json.loads(REGISTRY_FILE.read_text(encoding="utf-8"))
    former = tuple(Former(e["name"], e["kind"], e.get("atvk"),
                          tuple(Share(s["slug"], tuple(s.get("parts", ()))) for s in e["successors"]))
                   for e in data["former"])
    by_novads: dict[str, Former] = {}
    by_city: dict[str, Former] = {}
    for f in former:
        stem, _ = _stem(f.name)
        (by_novads if f.kind == "novads" else by_city)[stem] = f
    names = {m["slug"]: m["name_lv"] for m in registry["municipalities"]}
    current_novads: dict[str, str] = {}
    current_city: dict[str, str] = {}
    for m in registry["municipalities"]:
        target = current_city if m["kind"] == "state_city" else current_novads
        for name in (m["name_lv"], m["short_name_lv"]):
            target.setdefault(_stem(name)[0], m["slug"])
    return _Table(former, by_novads, by_city, {f.atvk: f for f in former if f.atvk}, names, current_novads,
                  current_city, data["source"])


def former_municipalities() -> tuple[Former, ...]:
    return _table().former


def source() -> dict:
    """The ``source`` block of the data file (name, URL, publisher, dates, licence)."""
    return dict(_table().source)


def successor_name(slug: str) -> str:
    """The Latvian name of one of the 43 (the slug itself if unknown)."""
    return _table().names.get(slug, slug)


def predecessors(slug: str) -> list[Former]:
    """The former municipalities ``slug`` was formed from, by name; each with the ``parts`` that came to it when
    the former municipality was divided. Empty for a slug that is not one of the 43."""
    out = []
    for f in _table().former:
        for share in f.shares:
            if share.slug == slug:
                out.append(replace(f, parts=share.parts))
    return sorted(out, key=lambda f: (f.kind != "republic_city", normalise_name(f.name)))


def _find_former(text: str) -> Former | None:
    table = _table()
    atvk = _ATVK_RE.match(normalise_name(text).replace(" ", ""))
    if atvk:
        return table.by_atvk.get(atvk.group(1))
    stem, kind = _stem(text)
    if not stem:
        return None
    if kind == _NOVADS:
        return table.by_novads.get(stem)
    city = table.by_city.get(stem) or (table.by_city.get(_CITY_GENITIVE.get(stem, "")) if kind == _CITY else None)
    if kind == _CITY:
        return city
    return city or table.by_novads.get(stem)


def _find_current(text: str) -> str | None:
    table = _table()
    stem, kind = _stem(text)
    if not stem:
        return None
    if kind == _NOVADS:
        return table.current_novads.get(stem)
    if kind == _CITY:
        return table.current_city.get(stem) or table.current_city.get(_CITY_GENITIVE.get(stem, ""))
    return table.current_city.get(stem) or table.current_novads.get(stem)


def successor_of(name: str) -> Successor | None:
    """The successor of a pre-reform municipality named ``name`` (or its ATVK code); None if no former
    municipality has that name. A divided one gives ``slug=None`` and every candidate: never a guess."""
    former = _find_former(name)
    if former is None:
        return None
    if former.split:
        return Successor(former, None, former.successor_slugs)
    return Successor(former, former.shares[0].slug, former.successor_slugs)


def match_unit(text: str, year: int | None, known: Collection[str]) -> UnitMatch:
    """A municipality cell of an import: one of the ``known`` slugs (any case), a current municipality's name, or
    a pre-reform name or ATVK code. For a year before the reform a pre-reform name is read first (the "Cēsu
    novads" of 2019 is the former one); from the reform year on, a current name is."""
    value = str(text).strip()
    if value.lower() in known:
        return UnitMatch(value.lower())
    successor = successor_of(value)
    current = _find_current(value)
    if current is not None and current not in known:
        current = None
    if successor is not None and (current is None or year is None or year < REFORM_YEAR):
        slug = successor.slug if successor.slug in known else None
        return UnitMatch(slug, successor.former, successor.candidates)
    return UnitMatch(current)
