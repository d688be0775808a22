"""The public view of a return: ONE pure function, ``public_view(definition, answers)``.

Everything the public portal shows about a municipality's year comes from here; the published copy
(``models.PublishedProfile.content``) is ``PublicView.to_json()`` and the searchable rows
(``models.PublishedMeasure``) are its ``measures``; the types and their JSON are in ``shape`` (re-exported
here). No database, no request, no config: the caller passes the definition and the typed answers of an
approved return (``returns.storage.load_answers``).

What is public, and nothing more:

* **support measures** a person can use, by kind (``KINDS``) — each with who can use it (``WHO``), amounts,
  details, links;
* **links** the return gives to published pages (a free flats list, the municipality's return page, its
  documents…);
* **contact persons whose own answer says "publish"** (``publish_on_profile == "yes"``, asked from 2027.1).
  Earlier versions asked ``is_public`` ("may be published") without saying what would be shown: those
  contacts are never published.

Never public: the respondent, every other answer (attitudes, budgets, counts, plans), review comments.

Texts a municipality typed (a grant's name, a description) exist in Latvian only: ``PublicText.en`` is None
and pages show the Latvian text (marked ``lang="lv"``). Texts of the definition have both languages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Mapping

from forms import DONT_KNOW, Field, ReturnDefinition, Text

from .shape import (  # noqa: F401  (re-exported: the shape is part of this module's contract)
    DOCUMENTS, KIND_LABELS, KINDS, SCHEMA, WHO, WHO_LABELS, PublicContact, PublicDetail, PublicLink, PublicMeasure,
    PublicText, PublicView,
)


# ------------------------------------------------------------------------------------------- the mapping

@dataclass(frozen=True)
class _YesMeasure:
    """A measure the form asks as a yes/no question (shown when "yes") or as a text (shown when written)."""

    key: str
    kind: str
    title: Text
    who_key: str | None = None  # the answer that says who can use it (2027.1: "<key>_open_to")
    #: the question itself says who ("priority for families who lived abroad"): no separate answer needed
    fixed_who: str | None = None
    detail_keys: tuple[str, ...] = ()
    is_text: bool = False  # a long-text answer: the text is the description


_MEASURES = (
    _YesMeasure("job_creation_support", "jobs_specialists", Text("Atbalsts darbavietu izveidei",
                "Support for creating jobs"), who_key="job_creation_support_open_to"),
    _YesMeasure("specialist_wage_subsidy", "jobs_specialists", Text(
        "Algas piemaksa vai līdzīgs atbalsts augsti kvalificētiem speciālistiem",
        "Wage supplement or similar support for highly qualified specialists"),
        who_key="specialist_wage_subsidy_open_to"),
    _YesMeasure("shortage_profession_programmes", "jobs_specialists", Text("Programmas deficīta profesijām",
                "Programmes for shortage professions"), who_key="shortage_profession_programmes_open_to",
                is_text=True),
    _YesMeasure("commuting_subsidy", "jobs_specialists", Text("Ceļa izdevumu uz darbu kompensācija",
                "Commuting costs subsidised"), who_key="commuting_subsidy_open_to"),
    _YesMeasure("specialist_rental_scheme", "housing", Text("Īres dzīvokļi speciālistiem",
                "Rental flats for specialists"), who_key="specialist_rental_scheme_open_to",
                detail_keys=("flats_let_to_specialists",)),
    _YesMeasure("extra_latvian_lessons", "education_family", Text(
        "Papildu latviešu valodas stundas remigrantu bērniem", "Extra Latvian lessons for remigrant children"),
        who_key="extra_latvian_lessons_open_to", detail_keys=("extra_lessons_hours_per_week",)),
    _YesMeasure("kindergarten_priority", "education_family", Text(
        "Prioritāte bērnudārza rindā ģimenēm, kas dzīvojušas ārzemēs",
        "Priority in the kindergarten queue for families who lived abroad"), fixed_who="remigrants_only"),
    _YesMeasure("teacher_assistant_available", "education_family", Text(
        "Skolotāja palīgs katram bērnam, kam tas vajadzīgs", "A teacher's assistant for every child who needs one"),
        fixed_who="open_to_all"),
    _YesMeasure("free_latvian_courses_adults", "education_family", Text(
        "Bezmaksas latviešu valodas kursi pieaugušajiem un laulātajiem",
        "Free Latvian courses for adults and spouses"), who_key="free_latvian_courses_adults_open_to"),
    _YesMeasure("support_offered_to_remigrants", "other", Text(
        "Atbalsts remigrantiem (pašvaldības apraksts)", "Support for returnees (as the municipality describes it)"),
        who_key="support_offered_to_remigrants_open_to", is_text=True),
)

#: single links: (field, kind, title)
_LINKS = (
    ("free_flats_list_url", "housing", Text("Brīvo pašvaldības dzīvokļu saraksts", "List of free municipal flats")),
    ("housing_database_url", "housing", Text("Mājokļu un uzņēmējdarbībai pieejamā īpašuma datubāze",
                                             "Database of housing and business property")),
    ("return_page_url", "other", Text("Pašvaldības lapa par atgriešanos", "The municipality's page on returning")),
    ("planning_docs_url", DOCUMENTS, Text("Attīstības plānošanas dokuments", "Development planning document")),
    ("spending_results_url", DOCUMENTS, Text("Publicētais līdzekļu izlietojums un rezultāti",
                                             "Published spending and results")),
)

_GRANT_DETAILS = (("kind", Text("Veids", "Kind")), ("cofinancing_pct", Text("Pieprasītais līdzfinansējums, %",
                  "Required own co-financing, %")), ("remigrant_extra_points", Text("Papildu punkti remigrantiem",
                  "Extra points for remigrants")))
_ACTIVITY_DETAILS = (("activity_date", Text("Datums", "Date")), ("is_online", Text("Tiešsaistē", "Online")),
                     ("country", Text("Valsts", "Country")))


def public_view(definition: ReturnDefinition, answers: Mapping[str, Any]) -> PublicView:
    """The public content of one return: its measures, links and publishable contacts.

    ``answers``: the typed answers of an APPROVED return under ``definition`` (as ``load_answers`` gives
    them; groups are lists of row dicts with ``_uid``). A question the definition does not have is simply
    absent, so every version (2022 history, 2025.1, 2026.1, 2027.1) works: without a "who can use it" answer a
    measure says ``not_stated``; without ``publish_on_profile`` there are no contacts.
    """
    links = tuple(_links(definition, answers))
    measures = [*_grants(definition, answers), *_yes_measures(definition, answers),
                *_activities(definition, answers)]
    measures.sort(key=lambda m: KINDS.index(m.kind))  # stable: form order within a kind
    with_links = tuple(replace(m, links=tuple(x for x in links if x.kind == m.kind)) for m in measures)
    return PublicView(definition.year, definition.version, with_links, tuple(_contacts(definition, answers)), links)


def _given(value: Any) -> bool:
    return value is not None and value != DONT_KNOW and value != "" and value != []


def _who(value: Any) -> str:
    return value if value in ("remigrants_only", "open_to_all") else "not_stated"


def _value_text(f: Field, value: Any) -> PublicText | None:
    """An answer as a public text: choices in both languages, numbers and dates as written, texts as typed."""
    if not _given(value):
        return None
    if f.choices:
        codes = value if isinstance(value, list) else [value]
        chosen = [f.choice(c) for c in codes]
        return PublicText(", ".join(c.lv for c in chosen if c), ", ".join(c.en for c in chosen if c))
    if isinstance(value, Decimal):
        number = value.normalize()
        text = f"{number:f}"
        return PublicText(text.replace(".", ","), text)
    if hasattr(value, "isoformat"):
        return PublicText(value.strftime("%d.%m.%Y"), value.isoformat())
    if isinstance(value, int):
        return PublicText(str(value), str(value))
    return PublicText(str(value).strip())


#: yes/no details shown only when "yes" ("online: no" and "extra points for remigrants: no" say nothing useful)
_ONLY_YES = frozenset({"is_online", "remigrant_extra_points"})


def _details(group: Field, row: Mapping[str, Any], specs: tuple[tuple[str, Text], ...]) -> tuple[PublicDetail, ...]:
    out = []
    for key, label in specs:
        try:
            f = group.child(key)
        except KeyError:
            continue
        if key in _ONLY_YES and row.get(key) != "yes":
            continue
        value = _value_text(f, row.get(key))
        if value is not None:
            out.append(PublicDetail(PublicText.of(label), value))
    return tuple(out)


def _grants(definition: ReturnDefinition, answers: Mapping[str, Any]) -> list[PublicMeasure]:
    if not definition.has_field("grant_programmes") or answers.get("has_business_grants") == "no":
        return []
    group = definition.field("grant_programmes")
    out = []
    for index, row in enumerate(answers.get("grant_programmes") or []):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        target = (row.get("target_group") or "").strip()
        maximum = row.get("max_grant_eur")
        out.append(PublicMeasure(
            key=f"grant_programmes:{row.get('_uid') or index}", source=f"grant_programmes[{index}]",
            kind="business_grants", title=PublicText(name), who=_who(row.get("eligibility")),
            description=PublicText(target) if target else None,
            amount_max_eur=maximum if isinstance(maximum, Decimal) else None,
            details=_details(group, row, _GRANT_DETAILS)))
    return out


def _yes_measures(definition: ReturnDefinition, answers: Mapping[str, Any]) -> list[PublicMeasure]:
    out = []
    for spec in _MEASURES:
        if not definition.has_field(spec.key):
            continue
        value = answers.get(spec.key)
        if spec.is_text:
            if not isinstance(value, str) or not value.strip():
                continue
            description: PublicText | None = PublicText(value.strip())
        elif value != "yes":
            continue
        else:
            description = None
        who = spec.fixed_who or _who(answers.get(spec.who_key) if spec.who_key else None)
        details = tuple(
            PublicDetail(PublicText.of(definition.field(k).label), text)
            for k in spec.detail_keys if definition.has_field(k)
            for text in [_value_text(definition.field(k), answers.get(k))] if text is not None)
        out.append(PublicMeasure(key=spec.key, source=spec.key, kind=spec.kind, title=PublicText.of(spec.title),
                                 who=who, description=description, details=details))
    return out


def _activities(definition: ReturnDefinition, answers: Mapping[str, Any]) -> list[PublicMeasure]:
    if not definition.has_field("diaspora_activities"):
        return []
    group = definition.field("diaspora_activities")
    out = []
    for index, row in enumerate(answers.get("diaspora_activities") or []):
        kind = group.child("activity_type").choice(row.get("activity_type") or "")
        if kind is None:
            continue
        note = (row.get("activity_note") or "").strip()
        out.append(PublicMeasure(
            key=f"diaspora_activities:{row.get('_uid') or index}", source=f"diaspora_activities[{index}]",
            kind="diaspora_contact", title=PublicText(kind.lv, kind.en), who=_who(row.get("open_to")),
            description=PublicText(note) if note else None, details=_details(group, row, _ACTIVITY_DETAILS)))
    return out


def _links(definition: ReturnDefinition, answers: Mapping[str, Any]) -> list[PublicLink]:
    out = []
    for key, kind, title in _LINKS:
        value = answers.get(key)
        if definition.has_field(key) and isinstance(value, str) and _is_web(value):
            out.append(PublicLink(kind, PublicText.of(title), value.strip()))
    for row in answers.get("published_documents") or [] if definition.has_field("published_documents") else []:
        url, title = row.get("document_url"), (row.get("document_title") or "").strip()
        if isinstance(url, str) and _is_web(url) and title:
            out.append(PublicLink(DOCUMENTS, PublicText(title), url.strip()))
    return out


def _is_web(url: str) -> bool:
    return url.strip().lower().startswith(("https://", "http://"))


def _contacts(definition: ReturnDefinition, answers: Mapping[str, Any]) -> list[PublicContact]:
    if not definition.has_field("contact_persons"):
        return []
    group = definition.field("contact_persons")
    if "publish_on_profile" not in {f.key for f in group.fields}:
        return []  # versions before 2027.1: nobody was told what would be published
    out = []
    for row in answers.get("contact_persons") or []:
        if row.get("publish_on_profile") != "yes" or not (row.get("name") or "").strip():
            continue
        languages = row.get("languages") if isinstance(row.get("languages"), list) else []
        out.append(PublicContact(row["name"].strip(), _text_or_none(row.get("position")),
                                 _text_or_none(row.get("email")), _text_or_none(row.get("phone")),
                                 tuple(languages)))
    return out


def _text_or_none(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
