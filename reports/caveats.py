"""Caveat texts (LV and EN) that travel with comparisons and tables."""

from __future__ import annotations

from .model import Caveat

REFORM_2021 = Caveat(
    "reform_2021",
    "Salīdzinājums nav līdzvērtīgs: 2017. gada BISS aptauja aptvēra ~119 pašvaldības pirms 2021. gada "
    "administratīvi teritoriālās reformas, tagad to ir 43. Mazāk, bet lielākas apvienotās pašvaldības var "
    "palielināt īpatsvarus, tāpēc salīdzina procentus, nevis skaitu, un norāda abu gadu bāzi.",
    "Not like-for-like: the 2017 BISS survey covered ~119 municipalities before the 2021 administrative-"
    "territorial reform; there are now 43. Fewer, merged municipalities can inflate shares, so percentages are "
    "compared, never counts, and both bases are stated.",
)

REGIONS_2017 = Caveat(
    "regions_2017",
    "2017. gada reģionu skaitļi attiecas uz reģioniem pirms reformas; pētījumā nav norādīts, kā tie noteikti.",
    "The 2017 regional figures refer to the pre-reform regions; the seed report does not say how they were drawn.",
)

SURVEY_2022 = Caveat(
    "survey_2022",
    "2022. gada skaitļi ir no telefonaptaujas (42 respondenti no 41 pašvaldības; bāze atkarībā no jautājuma 42, "
    "41 vai 32), nevis no apstiprinātiem gada pārskatiem.",
    "The 2022 figures come from a telephone survey (42 respondents from 41 municipalities; the base is 42, 41 or "
    "32 depending on the question), not from approved yearly returns.",
)

CAVEATS = (REFORM_2021, REGIONS_2017, SURVEY_2022)
