"""The README sheet (and README.txt): what the export holds, when and from what it was made, its coverage per
year, and the notes a researcher needs (the 2021 reform, blanks, personal data, number and text conventions)."""

from __future__ import annotations

import datetime as dt
from typing import Mapping

from forms.schema import Text

from .codebook import DATA_SHEET
from .coverage import coverage_text
from .model import WorkbookInfo

_SHEETS = {
    "Codebook": Text("mainīgie: atslēga, lapa, nosaukums LV/EN, tips, mērvienība, kodi, gadi",
                     "variables: key, sheet, label LV/EN, type, unit, codes, years"),
    DATA_SHEET: Text("viena rinda katrai pašvaldībai un gadam; 1. rindā mainīgo atslēgas kā Codebook lapā",
                     "one row per municipality and year; row 1 holds the variable keys of the Codebook"),
    "Indicators": Text("rādītāji pa gadiem: valsts un 5 plānošanas reģioni, n (bāze), n_missing (nav atbildes vai "
                       "jautājums netika uzdots: ārpus bāzes), base (answered: atbildējušās pašvaldības; counted: "
                       "visas ieskaitītās), salīdzinājumi ar 2017, 2022 un iepriekšējo gadu (izmaiņas "
                       "procentpunktos, pp; tukšs, ja nav datu), pārklājums (units_expected, units_counted, "
                       "units_missing)",
                       "indicators per year: national and the 5 planning regions, n (the base), n_missing (no "
                       "answer or not asked: outside the base), base (answered: municipalities that answered; "
                       "counted: all counted ones), comparisons with 2017, 2022 and the previous year (changes of "
                       "shares in percentage points, pp; empty where there is no data), coverage (units_expected, "
                       "units_counted, units_missing)"),
}
_GROUP_SHEET = Text("atkārtota grupa: viena rinda katrai pārskata rindai (municipality, year, row, row_id)",
                    "repeating group: one row per row of the return (municipality, year, row, row_id)")
_NOTES = (
    Text("2021. gada administratīvi teritoriālā reforma 119 pašvaldības apvienoja 43 pašvaldībās, tāpēc "
         "salīdzinājumi ar 2017. gadu nav līdzvērtīgi: salīdzina procentus, nevis skaitu, un norāda abu gadu bāzi.",
         "The 2021 administrative-territorial reform turned 119 municipalities into 43, so comparisons with 2017 "
         "are not like-for-like: percentages are compared, never counts, and both bases are stated."),
    Text("Katrai pašvaldībai ir viens respondents, kas atbild pašvaldības vārdā: tie ir pašvaldības sniegtie dati, "
         "nevis iedzīvotāju aptauja.",
         "One respondent per municipality answers on its behalf: these are the municipality's own figures, not a "
         "survey of residents."),
    Text("„Grūti pateikt” ir kods hard_to_say, arī skaitļu kolonnās (kā teksts). Tukša šūna: nav atbildes "
         "(jautājums nebija jāatbild, netika uzdots tajā gadā vai netika aizpildīts). Vairākizvēle: kodi vienā "
         "šūnā, atdalīti ar „;”.",
         "\"Hard to say\" is the code hard_to_say, also in number columns (as text). A blank cell: no answer (the "
         "question did not apply, was not asked that year or was left empty). Multiple choice: the codes in one "
         "cell, separated by \";\"."),
    Text("Personas dati (respondenta un kontaktpersonu vārdi, amati, e-pasti, tālruņi) nav iekļauti.",
         "No personal data: names, positions, e-mail addresses and phone numbers of respondents and contact "
         "persons are left out."),
    Text("Summas ir EUR; procenti ir skaitļi 0–100 (nevis daļas); datumi GGGG-MM-DD.",
         "Money is in EUR; percentages are numbers 0–100 (not fractions); dates are YYYY-MM-DD."),
)
_LABELS_NOTE = Text("Izvēles atbildes (un „Grūti pateikt” skaitļu kolonnās) ir rakstītas ar nosaukumiem, nevis "
                    "kodiem; kodi un nosaukumi: lapa Codebook.",
                    "Choice answers (and \"hard to say\" in number columns) are written as labels, not codes; the "
                    "codes and labels: the Codebook sheet.")
_XLSX_NOTE = Text("Teksts, kas sākas ar = + - @, ir saglabāts kā teksts, nevis formula. Skaitļi nav noapaļoti: "
                  "formāts rāda tikai mazāk zīmju.",
                  "Texts starting with = + - @ are stored as text, never as formulas. Numbers are not rounded: the "
                  "number format only shows fewer digits.")
_CSV_NOTE = Text(
    "CSV: UTF-8 ar BOM, komats kā atdalītājs, pēdiņas pēc RFC 4180, skaitļi ar punktu „.” kā decimālzīmi un bez "
    "tūkstošu atdalītājiem. Teksts, kas sākas ar = + - @, tabulāciju vai CR, ir ar priekšā pievienotu „'” (lai "
    "izklājlapa to neuztvertu kā formulu) — pirms analīzes to noņemiet. Lapa Data = data.csv, grupu lapas = "
    "<grupa>.csv, Codebook = codebook.csv, Indicators = indicators.csv.",
    "CSV: UTF-8 with a BOM, comma-separated, quoted per RFC 4180, numbers with \".\" as the decimal mark and no "
    "thousands separators. A text starting with = + - @, tab or CR carries a leading \"'\" (so that a spreadsheet "
    "does not take it for a formula): strip it before analysis. Sheet Data = data.csv, group sheets = "
    "<group>.csv, Codebook = codebook.csv, Indicators = indicators.csv.")
_HEADINGS = {
    "title": Text("Pašvaldību remigrācijas atbalsta monitorings: pētnieku datu kopa",
                  "Monitoring of municipal remigration support in Latvia: researchers' dataset"),
    "generated": Text("Sagatavots", "Generated"), "by": Text("Sagatavoja", "Generated by"),
    "years": Text("Gadi", "Years"), "statuses": Text("Iekļautie statusi", "Statuses included"),
    "snapshot": Text("Rādītāju momentuzņēmums", "Report snapshot"), "none": Text("nav rādītāju", "no indicators"),
    "source": Text("Atsauces dati", "Reference data"), "sheet": Text("Lapa", "Sheet"),
    "note": Text("Piezīme", "Note"), "coverage": Text("Pārklājums", "Coverage"),
}


def readme_lines(info: WorkbookInfo, counts: Mapping[str, int], *, csv: bool = False,
                 reports: Mapping[int, dict] | None = None) -> list[list[str]]:
    """[heading, text in ``info.locale``, the same in the other language]; the first line is the title.
    ``counts``: rows per sheet (by sheet name; ``csv`` names the CSV files instead). ``reports``: year →
    ``Report.to_dict()``; each year with one gets its coverage (municipalities expected, counted, not counted)."""
    lang = "en" if info.locale == "en" else "lv"
    other = "lv" if lang == "en" else "en"

    def line(heading: str, body: Text | str) -> list[str]:
        if isinstance(body, str):
            return [_HEADINGS[heading].get(lang), body, ""]
        return [_HEADINGS[heading].get(lang), body.get(lang), body.get(other)]

    title = _HEADINGS["title"]
    stamp = info.generated_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [[title.get(lang), "", title.get(other)], line("generated", stamp)]
    if info.generated_by:
        lines.append(line("by", info.generated_by))
    lines += [line("years", ", ".join(map(str, info.years))), line("statuses", ", ".join(info.statuses))]
    lines += [line("snapshot", f"{y}: {info.snapshots.get(y) or _HEADINGS['none'].get(lang)}") for y in info.years]
    for year in info.years:
        if year in (reports or {}):
            coverage = reports[year].get("coverage")  # type: ignore[index]
            lines.append(line("coverage", Text(f"{year}: {coverage_text(coverage, info.place_names, 'lv')}",
                                               f"{year}: {coverage_text(coverage, info.place_names, 'en')}")))
    lines += [line("source", source) for source in info.sources]
    for sheet, rows in counts.items():
        about, name = _SHEETS.get(sheet, _GROUP_SHEET), csv_name(sheet) if csv else sheet
        lines.append(line("sheet", Text(f"{name}: {about.lv} ({rows} rindas)", f"{name}: {about.en} ({rows} rows)")))
    notes = (*_NOTES, *([_LABELS_NOTE] if info.use_labels else ()), _CSV_NOTE if csv else _XLSX_NOTE)
    return lines + [line("note", note) for note in notes]


def readme_text(info: WorkbookInfo, counts: Mapping[str, int], reports: Mapping[int, dict] | None = None) -> str:
    """README.txt of the CSV zip: the README lines as text, each followed by its other-language version."""
    out = []
    for heading, body, other in readme_lines(info, counts, csv=True, reports=reports):
        out.append(f"{heading}: {body}" if body else heading)
        if other:
            out.append(f"    {other}")
    return "\r\n".join(out) + "\r\n"



def csv_name(sheet: str) -> str:
    """The CSV file of a workbook sheet: data.csv, codebook.csv, indicators.csv, <group sheet>.csv."""
    return sheet.lower() + ".csv" if sheet in (DATA_SHEET, "Codebook", "Indicators") else sheet + ".csv"
