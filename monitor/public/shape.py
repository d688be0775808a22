"""The public view's shape: what ``extract.public_view`` returns and what ``PublishedProfile.content`` stores
(``PublicView.to_json()``). The search, the open-data API and the comparative figures build on these types.

JSON (``schema`` 1)::

    {"schema": 1, "year": 2027, "definition_version": "2027.1",
     "measures": [{"key", "source", "kind", "title": {"lv", "en"}, "who", "description": {"lv", "en"} | null,
                   "amount_min_eur": "5000.00" | null, "amount_max_eur": "7000.00" | null,
                   "how_to_apply": {"lv", "en"} | null,
                   "details": [{"label": {"lv", "en"}, "value": {"lv", "en"}}],
                   "links": [{"kind", "title": {"lv", "en"}, "url"}]}],
     "contacts": [{"name", "position", "email", "phone", "languages": ["lv", "en", …]}],
     "links": [{"kind", "title": {"lv", "en"}, "url"}]}

A text's ``en`` is null when the municipality typed it (Latvian only). Amounts are decimal strings in EUR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from forms import Text

#: JSON shape version of ``PublicView.to_json`` (bump on an incompatible change; ``flask public rebuild``)
SCHEMA = 1

#: kinds of support measure, in page order
KINDS = ("business_grants", "jobs_specialists", "housing", "education_family", "diaspora_contact", "other")
KIND_LABELS = {
    "business_grants": Text("Uzņēmējdarbības granti", "Business grants"),
    "jobs_specialists": Text("Darbavietas un speciālisti", "Jobs and specialists"),
    "housing": Text("Mājoklis", "Housing"),
    "education_family": Text("Izglītība un ģimenes", "Education and family"),
    "diaspora_contact": Text("Saikne ar diasporu", "Diaspora contact"),
    "other": Text("Cits atbalsts", "Other support"),
}
#: kind of link that belongs to no measure kind: the municipality's published documents
DOCUMENTS = "documents"

#: who can use a measure (the equal-treatment tag); the first two are the form's codes
#: (``grant_programmes.eligibility`` and every ``*_open_to`` question of 2027.1)
WHO = ("remigrants_only", "open_to_all", "not_stated")
WHO_LABELS = {
    "remigrants_only": Text("Tikai atgriezušajiem (remigrantiem)", "Only returnees (remigrants)"),
    "open_to_all": Text("Visiem iedzīvotājiem", "All residents"),
    "not_stated": Text("Nav norādīts", "Not stated"),
}


@dataclass(frozen=True)
class PublicText:
    """A text in Latvian and English; ``en`` None: the municipality wrote it, in Latvian only."""

    lv: str
    en: str | None = None

    def get(self, locale: str) -> str:
        return self.en if locale == "en" and self.en else self.lv

    def lang(self, locale: str) -> str:
        """The language the text is actually in when shown for ``locale``."""
        return "en" if locale == "en" and self.en else "lv"

    def to_json(self) -> dict[str, str | None]:
        return {"lv": self.lv, "en": self.en}

    @classmethod
    def of(cls, text: Text) -> "PublicText":
        return cls(text.lv, text.en)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "PublicText | None":
        return None if data is None else cls(data["lv"], data.get("en"))


@dataclass(frozen=True)
class PublicLink:
    kind: str  # one of KINDS or DOCUMENTS
    title: PublicText
    url: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title.to_json(), "url": self.url}


@dataclass(frozen=True)
class PublicDetail:
    """One more fact about a measure (a grant's kind, hours a week, a date…), label and value."""

    label: PublicText
    value: PublicText

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label.to_json(), "value": self.value.to_json()}


@dataclass(frozen=True)
class PublicMeasure:
    key: str  # stable within the return: the measure's field key, or "<group>:<row uid>"
    source: str  # the form path it comes from: "job_creation_support", "grant_programmes[0]"
    kind: str  # one of KINDS
    title: PublicText
    who: str  # one of WHO
    description: PublicText | None = None
    amount_min_eur: Decimal | None = None
    amount_max_eur: Decimal | None = None
    how_to_apply: PublicText | None = None  # no version of the form asks it yet: always None today
    details: tuple[PublicDetail, ...] = ()
    links: tuple[PublicLink, ...] = ()  # the return's links of the same kind

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "source": self.source, "kind": self.kind, "title": self.title.to_json(),
            "who": self.who, "description": self.description.to_json() if self.description else None,
            "amount_min_eur": _money_text(self.amount_min_eur), "amount_max_eur": _money_text(self.amount_max_eur),
            "how_to_apply": self.how_to_apply.to_json() if self.how_to_apply else None,
            "details": [d.to_json() for d in self.details], "links": [link.to_json() for link in self.links],
        }

    def words(self) -> list[str]:
        """The texts a search should find the measure by (both languages, kind and who included)."""
        out = [self.title.lv, self.title.en or "", KIND_LABELS[self.kind].lv, KIND_LABELS[self.kind].en,
               WHO_LABELS[self.who].lv, WHO_LABELS[self.who].en]
        if self.description:
            out += [self.description.lv, self.description.en or ""]
        for detail in self.details:
            out += [detail.value.lv, detail.value.en or ""]
        return [w for w in out if w]


@dataclass(frozen=True)
class PublicContact:
    """A contact person the return says may be published: name, post, work e-mail and phone only."""

    name: str
    position: str | None
    email: str | None
    phone: str | None
    languages: tuple[str, ...] = ()  # codes: lv, en, ru, de, other

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "position": self.position, "email": self.email, "phone": self.phone,
                "languages": list(self.languages)}


@dataclass(frozen=True)
class PublicView:
    year: int
    definition_version: str
    measures: tuple[PublicMeasure, ...] = ()
    contacts: tuple[PublicContact, ...] = ()
    links: tuple[PublicLink, ...] = ()
    schema: int = field(default=SCHEMA)

    def measures_of(self, kind: str) -> list[PublicMeasure]:
        return [m for m in self.measures if m.kind == kind]

    def to_json(self) -> dict[str, Any]:
        return {"schema": self.schema, "year": self.year, "definition_version": self.definition_version,
                "measures": [m.to_json() for m in self.measures],
                "contacts": [c.to_json() for c in self.contacts],
                "links": [link.to_json() for link in self.links]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "PublicView":
        def link(d: Mapping[str, Any]) -> PublicLink:
            return PublicLink(d["kind"], PublicText(d["title"]["lv"], d["title"].get("en")), d["url"])

        def text(d: Mapping[str, Any]) -> PublicText:
            return PublicText(d["lv"], d.get("en"))

        measures = tuple(PublicMeasure(
            key=m["key"], source=m["source"], kind=m["kind"], title=text(m["title"]),
            who=m["who"], description=PublicText.from_json(m["description"]),
            amount_min_eur=_money(m["amount_min_eur"]), amount_max_eur=_money(m["amount_max_eur"]),
            how_to_apply=PublicText.from_json(m["how_to_apply"]),
            details=tuple(PublicDetail(text(d["label"]), text(d["value"])) for d in m["details"]),
            links=tuple(link(x) for x in m["links"])) for m in data["measures"])
        contacts = tuple(PublicContact(c["name"], c["position"], c["email"], c["phone"], tuple(c["languages"]))
                         for c in data["contacts"])
        return cls(data["year"], data["definition_version"], measures, contacts,
                   tuple(link(x) for x in data["links"]), data.get("schema", SCHEMA))


def _money(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _money_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.01')):f}"
