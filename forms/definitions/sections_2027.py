"""The 2027 form (version "2027.1"): the 2026 layout plus what the public municipality profiles need.

* Every support measure a person can use says **who can use it** — only remigrants, or every resident (the
  equal-treatment check of requirements V12, seed report L11149–11150). Grant programmes already asked it
  (``grant_programmes.eligibility``); the other measures get an ``*_open_to`` question with the same codes,
  asked when the measure exists.
* Every contact person has an explicit **"publish on the public profile"** answer (``publish_on_profile``),
  "no" unless the municipality says "yes"; the help text says exactly what is published. It replaces the
  earlier ``is_public`` ("may be published") question, whose wording never said what would be shown.

Why a new year rather than "2026.2": the 2026 cycle is open (returns exist, workbooks for offline work have been
downloaded against "2026.1"); one definition per year means a "2026.2" would re-read every 2026 return —
submitted and approved ones too — with new questions, mid-cycle. New questions start with a new cycle.
"""

from __future__ import annotations

from dataclasses import replace

from ..schema import Choice, Field, Section
from .builders import choice, help_, when
from .sections_context import measures
from .sections_people import contact_persons, contacts
from .sections_support import ELIGIBILITY, diaspora, diaspora_activities, education, housing, jobs

#: the codes of "who can use it" (the same as ``grant_programmes.eligibility``)
OPEN_TO = ELIGIBILITY

_OPEN_TO_HELP = help_(
    "Vienlīdzīgas attieksmes pārbaudei: vai atbalsts paredzēts tikai atgriezušajiem, vai visiem iedzīvotājiem. "
    "Atbilde tiek rādīta publiskajā pašvaldības profilā.",
    "For the equal-treatment check: is the support for returnees only, or for every resident? The answer is "
    "shown on the public municipality profile.")


def open_to(key: str, of: str | None) -> Field:
    """"Who can use it" for the measure answered by ``of`` (asked when ``of`` is "yes"; always when None)."""
    return choice(key, "Kas var izmantot šo atbalstu?", "Who can use this support?", OPEN_TO,
                  help=_OPEN_TO_HELP, show_if=when(of, "yes") if of else None)


def _insert_after(fields: tuple[Field, ...], extra: dict[str, Field]) -> tuple[Field, ...]:
    out: list[Field] = []
    for f in fields:
        out.append(f)
        if f.key in extra:
            out.append(extra[f.key])
    missing = set(extra) - {f.key for f in fields}
    if missing:
        raise KeyError(f"no such fields: {sorted(missing)}")
    return tuple(out)


def _with_open_to(section: Section, measure_keys: dict[str, str | None]) -> Section:
    """``measure_keys``: the field after which the question goes → the gate (None: always asked)."""
    extra = {after: open_to(f"{after}_open_to", gate) for after, gate in measure_keys.items()}
    return replace(section, fields=_insert_after(section.fields, extra))


PUBLISH_ON_PROFILE = choice(
    "publish_on_profile", "Publicēt publiskajā pašvaldības profilā", "Publish on the public municipality profile",
    (Choice("yes", "Jā, publicēt", "Yes, publish"), Choice("no", "Nē, nepublicēt", "No, do not publish")),
    help=help_("Ja «Jā», šīs personas vārds, uzvārds, amats, darba e-pasts un tālrunis būs redzami ikvienam "
               "pašvaldības publiskajā profilā pēc pārskata apstiprināšanas. Ja atbilde nav dota, kontakts netiek "
               "publicēts. Ievadiet tikai darba e-pastu un tālruni.",
               "If “Yes”, this person's name, post, work e-mail and phone will be visible to anyone on the "
               "municipality's public profile once the return is approved. Without an answer the contact is not "
               "published. Give a work e-mail and phone only."))

contact_persons_2027 = replace(
    contact_persons,
    fields=tuple(PUBLISH_ON_PROFILE if f.key == "is_public" else f for f in contact_persons.fields))

contacts_2027 = replace(contacts, fields=tuple(
    contact_persons_2027 if f.key == "contact_persons" else f for f in contacts.fields))

jobs_2027 = _with_open_to(jobs, {
    "job_creation_support": "job_creation_support",
    "specialist_wage_subsidy": "specialist_wage_subsidy",
    "shortage_profession_programmes": None,
    "commuting_subsidy": "commuting_subsidy",
})

housing_2027 = _with_open_to(housing, {"specialist_rental_scheme": "specialist_rental_scheme"})

education_2027 = _with_open_to(education, {
    "extra_latvian_lessons": "extra_latvian_lessons",
    "free_latvian_courses_adults": "free_latvian_courses_adults",
})

measures_2027 = _with_open_to(measures, {"support_offered_to_remigrants": None})

diaspora_activities_2027 = replace(diaspora_activities, fields=(
    *diaspora_activities.fields,
    choice("open_to", "Kas varēja piedalīties?", "Who could take part?", OPEN_TO, help=_OPEN_TO_HELP),
))

diaspora_2027 = replace(diaspora, fields=tuple(
    diaspora_activities_2027 if f.key == "diaspora_activities" else f for f in diaspora.fields))

#: the 2026 sections this version replaces, by key
REPLACED = {s.key: s for s in (contacts_2027, jobs_2027, housing_2027, education_2027, measures_2027,
                               diaspora_2027)}
