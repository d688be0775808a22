"""Validation messages in Latvian and English.

Every message names the field (its label, and the row for repeating groups) and says what to do.
Templates use ``str.format`` with named values; ``{field}`` is filled with the field's label in the same
language.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "required": (
        "«{field}»: šis jautājums ir obligāts. Atbildiet vai izvēlieties «Grūti pateikt», ja tāda iespēja ir.",
        "“{field}”: this question is required. Answer it, or choose “Hard to say” where that is offered.",
    ),
    "required_no_dk": (
        "«{field}»: šis lauks ir obligāts. Lūdzu, aizpildiet to.",
        "“{field}”: this field is required. Please fill it in.",
    ),
    "min_rows": (
        "«{field}»: pievienojiet vismaz {min_rows} ierakstu(s).",
        "“{field}”: add at least {min_rows} entry or entries.",
    ),
    "max_rows": (
        "«{field}»: ne vairāk kā {max_rows} ieraksti. Izdzēsiet liekos.",
        "“{field}”: at most {max_rows} entries. Remove the extra ones.",
    ),
    "not_integer": (
        "«{field}»: ievadiet veselu skaitli bez atstarpēm un komatiem, piemēram, 12.",
        "“{field}”: enter a whole number without spaces or commas, for example 12.",
    ),
    "not_number": (
        "«{field}»: ievadiet skaitli, piemēram, 1500 vai 1500,50 (decimāldaļu atdaliet ar komatu).",
        "“{field}”: enter a number, for example 1500 or 1500.50.",
    ),
    "ambiguous_number": (
        "«{field}»: skaitlī ir gan punkts, gan komats. Rakstiet bez tūkstošu atdalītājiem, piemēram, 12500,50.",
        "“{field}”: the number has both a point and a comma. Write it without thousands separators, "
        "for example 12500.50.",
    ),
    "too_many_decimals": (
        "«{field}»: ne vairāk kā {places} cipari aiz komata.",
        "“{field}”: at most {places} digits after the decimal point.",
    ),
    "below_min": (
        "«{field}»: vērtībai jābūt vismaz {min}.",
        "“{field}”: the value must be at least {min}.",
    ),
    "above_max": (
        "«{field}»: vērtībai jābūt ne lielākai par {max}.",
        "“{field}”: the value must not be greater than {max}.",
    ),
    "invalid_choice": (
        "«{field}»: izvēlieties vienu no piedāvātajiem atbilžu variantiem.",
        "“{field}”: choose one of the answers offered.",
    ),
    "dont_know_exclusive": (
        "«{field}»: «Grūti pateikt» nevar atzīmēt kopā ar citām atbildēm. Noņemiet vienu no tām.",
        "“{field}”: “Hard to say” cannot be ticked together with other answers. Untick one of them.",
    ),
    "too_long": (
        "«{field}»: teksts ir par garu ({length} zīmes). Saīsiniet to līdz {max_length} zīmēm.",
        "“{field}”: the text is too long ({length} characters). Shorten it to {max_length} characters.",
    ),
    "invalid_url": (
        "«{field}»: ievadiet pilnu tīmekļa adresi, kas sākas ar https:// vai http://, piemēram, "
        "https://www.cesis.lv/remigracija.",
        "“{field}”: enter a full web address starting with https:// or http://, for example "
        "https://www.cesis.lv/remigracija.",
    ),
    "invalid_email": (
        "«{field}»: ievadiet e-pasta adresi formā vards.uzvards@iestade.lv.",
        "“{field}”: enter an e-mail address like name.surname@office.lv.",
    ),
    "invalid_phone": (
        "«{field}»: ievadiet tālruņa numuru ar vismaz 8 cipariem, piemēram, +371 26 123 456.",
        "“{field}”: enter a phone number with at least 8 digits, for example +371 26 123 456.",
    ),
    "invalid_date": (
        "«{field}»: ievadiet datumu formā DD.MM.GGGG, piemēram, 15.06.2026.",
        "“{field}”: enter a date as DD.MM.YYYY, for example 15.06.2026.",
    ),
    "date_out_of_range": (
        "«{field}»: datumam jābūt no {min} līdz {max}.",
        "“{field}”: the date must be between {min} and {max}.",
    ),
    "number_and_dont_know": (
        "«{field}»: ierakstiet skaitli vai atzīmējiet «Grūti pateikt», bet ne abus.",
        "“{field}”: enter a number or tick “Hard to say”, not both.",
    ),
    "invalid_value": (
        "«{field}»: šo vērtību nevar saglabāt. Ievadiet to vēlreiz.",
        "“{field}”: this value cannot be saved. Please enter it again.",
    ),
    "growth": (
        "«{field}»: {value} ir {factor} reizes vairāk nekā pērn ({previous}). Pārbaudiet skaitli; ja tas ir "
        "pareizs, īsi paskaidrojiet komentārā.",
        "“{field}”: {value} is {factor} times last year's figure ({previous}). Check the figure; if it is "
        "right, explain briefly in a comment.",
    ),
    "not_applicable": (
        "«{field}»: atbilde netiek saglabāta — šis jautājums attiecas tikai tad, ja «{gate}» ir {codes}, bet "
        "atbilde tur ir {given}.",
        "“{field}”: the answer is not kept — this question applies only when “{gate}” is {codes}, but the "
        "answer there is {given}.",
    ),
}


def render(code: str, locale_values: dict[str, dict[str, object]]) -> tuple[str, str]:
    """Format the message ``code`` in both languages.

    ``locale_values`` maps ``"lv"`` and ``"en"`` to the template values in that language.
    """
    lv, en = MESSAGES[code]
    return lv.format(**locale_values["lv"]), en.format(**locale_values["en"])
