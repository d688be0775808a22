"""The e-mail texts, in Latvian and English, as plain Python so that tests can check them word for word.

Written for municipal staff, not for technicians: the polite "Jūs" form in Latvian, the service's own terms
(gada pārskats, pārskata gads, iesniegšanas termiņš, atgriezts labošanai, apstiprināts, plānošanas reģions).
The only personal data in a message is the recipient's own name.

Municipality names are never declined: Latvian would need the genitive and a verb agreeing with the name's
gender ("Cēsu novads ir iesniedzis", "Liepājas valstspilsēta ir iesniegusi"), so names stand after a label
("Pašvaldība: Cēsu novads") or at the start of a subject, before a colon.

``render(kind, locale, **values)`` fills the templates below (``str.format``; the values are inserted as they are,
so braces in a reviewer's reason are harmless). The helpers format dates and day counts per language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date

LOCALES = ("lv", "en")


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


SUBMITTED = "submitted"
RESUBMITTED = "resubmitted"
RETURNED = "returned"
APPROVED = "approved"
REMINDER_BEFORE = "reminder_before"
REMINDER_TODAY = "reminder_today"  # only when 0 is among MAIL_REMINDER_DAYS_BEFORE
REMINDER_AFTER = "reminder_after"
REMINDER_KINDS = (REMINDER_BEFORE, REMINDER_TODAY, REMINDER_AFTER)

# values: name, municipality, year, url; returned also reason, comments (the paragraph from comments_paragraph);
# reminders also deadline, deadline_label, relative
TEMPLATES: dict[str, dict[str, Template]] = {
    SUBMITTED: {
        "lv": Template(
            "{municipality}: iesniegts gada pārskats par {year}. gadu",
            "Labdien, {name}!\n\n"
            "Jūsu plānošanas reģionā ir iesniegts gada pārskats, kas gaida Jūsu izvērtējumu.\n\n"
            "Pašvaldība: {municipality}\n"
            "Pārskata gads: {year}\n\n"
            "Lūdzu, izvērtējiet pārskatu: apstipriniet to vai atgrieziet labošanai ar komentāriem.\n"
            "{url}\n",
        ),
        "en": Template(
            "{municipality} submitted its yearly return for {year}",
            "Dear {name},\n\n"
            "A yearly return has been submitted in your planning region and is waiting for your review.\n\n"
            "Municipality: {municipality}\n"
            "Reporting year: {year}\n\n"
            "Please review the return: approve it, or return it for correction with your comments.\n"
            "{url}\n",
        ),
    },
    RESUBMITTED: {
        "lv": Template(
            "{municipality}: atkārtoti iesniegts gada pārskats par {year}. gadu",
            "Labdien, {name}!\n\n"
            "Jūsu plānošanas reģionā pēc labošanas ir atkārtoti iesniegts gada pārskats, kas gaida Jūsu "
            "izvērtējumu.\n\n"
            "Pašvaldība: {municipality}\n"
            "Pārskata gads: {year}\n\n"
            "Lūdzu, pārbaudiet labojumus un izvērtējiet pārskatu: apstipriniet to vai atgrieziet labošanai ar "
            "komentāriem.\n"
            "{url}\n",
        ),
        "en": Template(
            "{municipality} resubmitted its yearly return for {year}",
            "Dear {name},\n\n"
            "A yearly return has been corrected and submitted again in your planning region and is waiting for "
            "your review.\n\n"
            "Municipality: {municipality}\n"
            "Reporting year: {year}\n\n"
            "Please check the corrections and review the return: approve it, or return it for correction with "
            "your comments.\n"
            "{url}\n",
        ),
    },
    RETURNED: {
        "lv": Template(
            "Gada pārskats par {year}. gadu atgriezts labošanai",
            "Labdien, {name}!\n\n"
            "Jūsu pašvaldības gada pārskats ir atgriezts labošanai.\n\n"
            "Pašvaldība: {municipality}\n"
            "Pārskata gads: {year}\n\n"
            "Iemesls:\n"
            "{reason}\n\n"
            "{comments}\n\n"
            "Lūdzu, izlabojiet pārskatu un iesniedziet to atkārtoti:\n"
            "{url}\n",
        ),
        "en": Template(
            "Your yearly return for {year} has been returned for correction",
            "Dear {name},\n\n"
            "Your municipality's yearly return has been returned for correction.\n\n"
            "Municipality: {municipality}\n"
            "Reporting year: {year}\n\n"
            "Reason:\n"
            "{reason}\n\n"
            "{comments}\n\n"
            "Please correct the return and submit it again:\n"
            "{url}\n",
        ),
    },
    APPROVED: {
        "lv": Template(
            "Gada pārskats par {year}. gadu apstiprināts",
            "Labdien, {name}!\n\n"
            "Jūsu pašvaldības gada pārskats ir apstiprināts. Paldies par darbu!\n\n"
            "Pašvaldība: {municipality}\n"
            "Pārskata gads: {year}\n\n"
            "Apstiprināto pārskatu vairs nevar labot, bet to var apskatīt šeit:\n"
            "{url}\n",
        ),
        "en": Template(
            "Your yearly return for {year} has been approved",
            "Dear {name},\n\n"
            "Your municipality's yearly return has been approved. Thank you for your work!\n\n"
            "Municipality: {municipality}\n"
            "Reporting year: {year}\n\n"
            "An approved return can no longer be changed, but you can view it here:\n"
            "{url}\n",
        ),
    },
    REMINDER_BEFORE: {
        "lv": Template(
            "Atgādinājums: gada pārskata par {year}. gadu iesniegšanas termiņš ir {deadline}",
            "Labdien, {name}!\n\n"
            "Atgādinām, ka Jūsu pašvaldības gada pārskats vēl nav iesniegts, un iesniegšanas termiņš tuvojas.\n\n"
            "Pašvaldība: {municipality}\n"
            "Pārskata gads: {year}\n"
            "{deadline_label}: {deadline} ({relative})\n\n"
            "Lūdzu, aizpildiet un iesniedziet pārskatu līdz termiņam:\n"
            "{url}\n\n"
            "Ja pa to laiku pārskatu jau esat iesnieguši, lūdzu, neņemiet šo vēstuli vērā.\n",
        ),
        "en": Template(
            "Reminder: the yearly return for {year} is due on {deadline}",
            "Dear {name},\n\n"
            "This is a reminder that your municipality's yearly return has not been submitted yet, and the "
            "deadline is approaching.\n\n"
            "Municipality: {municipality}\n"
            "Reporting year: {year}\n"
            "{deadline_label}: {deadline} ({relative})\n\n"
            "Please complete and submit the return by the deadline:\n"
            "{url}\n\n"
            "If you have submitted it in the meantime, please ignore this message.\n",
        ),
    },
    REMINDER_TODAY: {
        "lv": Template(
            "Atgādinājums: gada pārskata par {year}. gadu iesniegšanas termiņš ir šodien, {deadline}",
            "Labdien, {name}!\n\n"
            "Atgādinām, ka Jūsu pašvaldības gada pārskats vēl nav iesniegts, un iesniegšanas termiņš ir šodien.\n\n"
            "Pašvaldība: {municipality}\n"
            "Pārskata gads: {year}\n"
            "{deadline_label}: {deadline} ({relative})\n\n"
            "Lūdzu, iesniedziet pārskatu vēl šodien:\n"
            "{url}\n\n"
            "Ja pa to laiku pārskatu jau esat iesnieguši, lūdzu, neņemiet šo vēstuli vērā.\n",
        ),
        "en": Template(
            "Reminder: the yearly return for {year} is due today, {deadline}",
            "Dear {name},\n\n"
            "This is a reminder that your municipality's yearly return has not been submitted yet, and the "
            "deadline is today.\n\n"
            "Municipality: {municipality}\n"
            "Reporting year: {year}\n"
            "{deadline_label}: {deadline} ({relative})\n\n"
            "Please submit the return today:\n"
            "{url}\n\n"
            "If you have submitted it in the meantime, please ignore this message.\n",
        ),
    },
    REMINDER_AFTER: {
        "lv": Template(
            "Gada pārskats par {year}. gadu vēl nav iesniegts (termiņš bija {deadline})",
            "Labdien, {name}!\n\n"
            "Jūsu pašvaldības gada pārskata iesniegšanas termiņš ir pagājis, bet pārskats vēl nav iesniegts.\n\n"
            "Pašvaldība: {municipality}\n"
            "Pārskata gads: {year}\n"
            "{deadline_label}: {deadline} ({relative})\n\n"
            "Lūdzu, iesniedziet pārskatu pēc iespējas drīzāk:\n"
            "{url}\n\n"
            "Ja Jums nepieciešams vairāk laika, lūdzu, sazinieties ar savu plānošanas reģionu.\n"
            "Ja pa to laiku pārskatu jau esat iesnieguši, lūdzu, neņemiet šo vēstuli vērā.\n",
        ),
        "en": Template(
            "The yearly return for {year} has not been submitted yet (deadline: {deadline})",
            "Dear {name},\n\n"
            "The deadline for your municipality's yearly return has passed, but the return has not been "
            "submitted yet.\n\n"
            "Municipality: {municipality}\n"
            "Reporting year: {year}\n"
            "{deadline_label}: {deadline} ({relative})\n\n"
            "Please submit the return as soon as possible:\n"
            "{url}\n\n"
            "If you need more time, please contact your planning region.\n"
            "If you have submitted it in the meantime, please ignore this message.\n",
        ),
    },
}

SIGNATURE = {
    "lv": "\nAr cieņu\nRemigrācijas atbalsta monitorings\n\n"
          "Šī vēstule ir nosūtīta automātiski; uz to nav jāatbild.\n",
    "en": "\nKind regards,\nRemigration support monitor\n\n"
          "This message was sent automatically; please do not reply to it.\n",
}

COMMENTS = {
    "lv": "Komentāri pie atsevišķiem jautājumiem: {count}. Tos redzēsiet pārskatā pie attiecīgajiem jautājumiem.",
    "en": "Comments on individual questions: {count}. You will find them in the return, next to the questions "
          "they concern.",
}
NO_COMMENTS = {
    "lv": "Pie atsevišķiem jautājumiem komentāru nav.",
    "en": "There are no comments on individual questions.",
}
DEADLINE_LABEL = {"lv": "Iesniegšanas termiņš", "en": "Deadline"}
EXTENDED_DEADLINE_LABEL = {"lv": "Pagarinātais iesniegšanas termiņš", "en": "Extended deadline"}


def normalise_locale(locale: str | None) -> str:
    """'lv' or 'en'; anything else (or nothing) is Latvian, the service's default language."""
    return locale if locale in LOCALES else "lv"


def format_day(day: dt.date, locale: str) -> str:
    """31.03.2027 in Latvian, 31 March 2027 in English."""
    if normalise_locale(locale) == "en":
        return format_date(day, "d MMMM yyyy", locale="en")
    return format_date(day, "dd.MM.yyyy", locale="lv")


def relative_days(offset: int, locale: str) -> str:
    """When the deadline is, seen from today: ``offset`` = today − deadline in days (negative: still ahead).

    Latvian "pēc"/"pirms" take the genitive singular after numbers ending in 1 (not 11) and the dative plural
    otherwise: "pēc 21 dienas", "pēc 7 dienām".
    """
    n = abs(offset)
    if normalise_locale(locale) == "en":
        if offset == 0:
            return "today"
        if n == 1:
            return "tomorrow" if offset < 0 else "yesterday"
        return f"in {n} days" if offset < 0 else f"{n} days ago"
    if offset == 0:
        return "šodien"
    if n == 1:
        return "rīt" if offset < 0 else "vakar"
    days = "dienas" if n % 10 == 1 and n % 100 != 11 else "dienām"
    return f"pēc {n} {days}" if offset < 0 else f"pirms {n} {days}"


def comments_paragraph(count: int, locale: str) -> str:
    locale = normalise_locale(locale)
    return COMMENTS[locale].format(count=count) if count > 0 else NO_COMMENTS[locale]


def deadline_label(is_extended: bool, locale: str) -> str:
    locale = normalise_locale(locale)
    return (EXTENDED_DEADLINE_LABEL if is_extended else DEADLINE_LABEL)[locale]


def render(kind: str, locale: str, **values: object) -> tuple[str, str]:
    """(subject, body) of ``kind`` in ``locale``; the body ends with the signature. Raises KeyError for an
    unknown kind or a missing value."""
    locale = normalise_locale(locale)
    template = TEMPLATES[kind][locale]
    subject = template.subject.format(**values)
    body = template.body.format(**values) + SIGNATURE[locale]
    return " ".join(subject.split()), body  # a subject is one line, whatever a name contains
