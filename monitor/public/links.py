"""The national portals the seed report names for people planning to return (the "Returning to Latvia" page
and every profile without an approved return point to them). Line numbers: ../shared/seed/000_f52712ec26fc46da.txt.

The report names no PMLP (Office of Citizenship and Migration Affairs) or "Mans Latvija" page, so neither is
listed here: add them when a source for them is agreed.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms import Text


@dataclass(frozen=True)
class Portal:
    name: str
    url: str
    about: Text
    seed_lines: str  # where the study names it


NATIONAL_PORTALS = (
    # L2897–2899, L3120–3122, L3311–3312: the state and municipal portal's section "Returning and moving to
    # live in Latvia"; L11054–11055: every municipality should link to latvija.lv, paps.lv and vsaa.gov.lv
    Portal("Latvija.lv", "https://www.latvija.lv/",
           Text("Valsts un pašvaldību vienotais portāls: sadaļa «Atgriešanās un pārcelšanās uz dzīvi Latvijā» par "
                "valsts un pašvaldību pakalpojumiem tiem, kas plāno atgriezties.",
                "The state and municipal portal: its section “Returning and moving to live in Latvia” on state and "
                "municipal services for people planning to return."),
           "L2897–2899, L3120–3122, L3311–3312, L11054–11055"),
    # L2895–2897, L3119–3120: PAPS.lv, the site of the regional remigration coordinators' project;
    # L2728–2730: five regional coordinators give free information and consultations
    Portal("PAPS.lv", "https://www.paps.lv/",
           Text("«Palīdzam atgriezties pašu sētā»: reģionālo remigrācijas koordinatoru vietne. Koordinatori bez maksas "
                "konsultē par nodokļiem, pabalstiem, mājokli un pakalpojumiem ģimenēm un sagatavo personalizētus "
                "piedāvājumus.",
                "“Helping you come back home”: the site of the regional remigration coordinators, who advise free of "
                "charge on taxes, benefits, housing and services for families, and prepare personal offers."),
           "L2728–2730, L2895–2897, L3119–3120"),
    # L11054–11055
    Portal("VSAA", "https://www.vsaa.gov.lv/",
           Text("Valsts sociālās apdrošināšanas aģentūra: pensijas, pabalsti un sociālā apdrošināšana.",
                "State Social Insurance Agency: pensions, benefits and social insurance."),
           "L11054–11055"),
    # L2800–2806, L2821–2822 and footnote 56 (L2857): NVA and its EURES advisers on work and returning
    Portal("NVA / EURES", "https://www.nva.gov.lv/lv/ja-velaties-atgriezties-latvija",
           Text("Nodarbinātības valsts aģentūra un EURES konsultanti: darbs, dzīves un darba apstākļi Latvijā, "
                "sociālā nodrošinājuma koordinācija, nodokļi.",
                "State Employment Agency and its EURES advisers: jobs, living and working conditions in Latvia, "
                "social security coordination, taxes."),
           "L2800–2806, L2821–2822, L2857"),
    # L2697, L2900–2903: services for families with children, by municipality
    Portal("Vietagimenei.lv", "https://www.vietagimenei.lv/",
           Text("Pašvaldību pakalpojumi ģimenēm ar bērniem.", "Municipal services for families with children."),
           "L2697, L2900–2903"),
)
