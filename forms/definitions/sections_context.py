"""Sections A–D: respondent, attitudes, planning and governance, measures in the last five years, budget.

Line numbers in comments refer to the seed report (see requirements.md §2).
"""

from __future__ import annotations

from ..schema import Choice, Field, FieldType, Section
from .builders import (
    EUR, choice, count, help_, long_text, money, survey, survey_multi, t, text, url, url_if_yes, when, yn,
)

respondent = Section(
    "respondent",
    t("Atbildētājs", "Respondent"),
    t("Kas aizpilda pārskatu. Šie dati redzami tikai pašvaldībai, reģionam un administratoram.",
      "Who fills in the return. Only the municipality, its region and the administrator see these details."),
    (
        text("respondent_name", "Vārds, uzvārds", "Name and surname", required=True, is_personal=True),
        # the post names its holder in a municipality (one head of development a municipality): personal data
        survey("respondent_role", label=t("Amats pašvaldībā", "Position in the municipality"), is_personal=True),
        text("respondent_role_other", "Cits amats — kāds?", "Other position — which?", is_personal=True,
             show_if=when("respondent_role", "other_delegated")),
        Field("respondent_email", FieldType.EMAIL, t("E-pasts", "E-mail"), required=True, is_personal=True),
        Field("respondent_phone", FieldType.PHONE, t("Tālrunis", "Phone"), is_personal=True),
        long_text("predecessor_units_note", "Piezīmes par teritoriju pirms 2021. gada reformas",
                  "Notes on the territory before the 2021 reform",
                  help=help_("Piemēram, kuru bijušo novadu pieredze iekļauta atbildēs. Vajadzīgs salīdzinājumam ar "
                             "2017. gadu.",
                             "For example, which former municipalities' experience the answers include. Needed "
                             "for comparison with 2017.")),
        Field("published_documents", FieldType.GROUP,
              t("Publicētie dokumenti", "Published documents"),
              help=help_("Saites uz pašvaldības dokumentiem par uzņēmējdarbības, darbaspēka piesaistes un "
                         "remigrācijas veicināšanu.",
                         "Links to municipal documents on promoting business, attracting labour and remigration."),
              fields=(
                  text("document_title", "Nosaukums", "Title", required=True),
                  url("document_url", "Saite", "Link", required=True),
              ), max_rows=20, survey_key="published_documents_links"),
    ),
)

attitudes = Section(
    "attitudes",
    t("Attieksme un situācija", "Attitudes and context"),
    t("Jautājumi, kas salīdzināmi ar 2017. gada BISS aptauju un 2022. gada pašvaldību aptauju.",
      "Questions comparable with the 2017 BISS survey and the 2022 municipal survey."),
    (
        survey("remigration_promotion_topicality"),
        yn("emigration_active_problem", "Vai emigrācija pašvaldībā ir aktīva problēma?",
           "Is emigration an active problem in the municipality?", survey_key="emigration_active_problem"),
        yn("return_promotion_revitalises_economy",
           "Vai, Jūsuprāt, atgriešanās veicināšana varētu palīdzēt atdzīvināt reģiona ekonomisko attīstību?",
           "Do you think promoting return could help revitalise the region's economic development?",
           survey_key="return_promotion_revitalises_economy"),
        survey("support_programmes_needed"),
        survey("remigration_policy_competence"),
        survey("municipal_role_in_remigration"),
        Field("state_support_sufficiency_score", FieldType.SCALE,
              t("Cik pietiekams ir valsts atbalsts remigrācijas veicināšanai? (0 — nepavisam nepietiekams, "
                "10 — pilnīgi pietiekams)",
                "How sufficient is state support for promoting remigration? (0 — not at all, 10 — fully)"),
              min=0, max=10, allow_dont_know=True, required=True, survey_key="state_support_sufficiency_score"),
        Field("eu_state_grant_uptake_score", FieldType.SCALE,
              t("Cik lielā mērā pašvaldība izmanto ES un valsts grantu iespējas ekonomikas un uzņēmējdarbības "
                "atbalstam? (0 — nemaz, 10 — pilnībā)",
                "How far does the municipality use EU and state grant opportunities for economic and business "
                "support? (0 — not at all, 10 — fully)"),
              min=0, max=10, allow_dont_know=True, required=True, survey_key="eu_state_grant_uptake_score"),
    ),
)

BUSINESS_UNITS = (
    Choice("own_centre", "Sava uzņēmējdarbības atbalsta centrs", "Own business support centre"),
    Choice("department", "Nodaļa pašvaldības administrācijā", "Department in the municipal administration"),
    Choice("specialist", "Atsevišķs speciālists", "A dedicated specialist"),
    Choice("none", "Nav", "None"),
    Choice("hard_to_say", "Grūti pateikt", "Hard to say"),
)

planning = Section(
    "planning",
    t("Plānošana un pārvaldība", "Planning and governance"),
    None,
    (
        survey("planning_docs_recognise_emigration"),
        survey("planning_docs_include_remigration_measures"),
        url_if_yes("planning_docs_url", "planning_docs_include_remigration_measures",
                   "Saite uz attīstības plānošanas dokumentu", "Link to the development planning document"),
        survey("diaspora_involved_in_policy_drafting"),
        yn("remigration_plan_in_development_plan", "Vai remigrācijas plāns ir daļa no attīstības plāna?",
           "Is a remigration plan part of the development plan?"),
        yn("has_remigration_strategy", "Vai ir vidēja termiņa (apm. 3 gadu) remigrācijas stratēģija ar noteiktām "
           "mērķa grupām?", "Is there a medium-term (about 3-year) remigration strategy with defined target groups?"),
        text("strategy_target_groups", "Stratēģijas mērķa grupas", "Target groups of the strategy",
             show_if=when("has_remigration_strategy", "yes")),
        yn("has_separate_budget_line", "Vai budžetā ir atsevišķa pozīcija remigrācijas veicināšanai?",
           "Does the budget have a separate line for promoting remigration?"),
        yn("entrepreneurs_advisory_council", "Vai pašvaldībā darbojas uzņēmēju konsultatīvā padome?",
           "Does the municipality have an entrepreneurs' advisory council?", required=False),
        choice("business_support_unit", "Kas pašvaldībā atbild par uzņēmējdarbības atbalstu?",
               "Who is responsible for business support in the municipality?", BUSINESS_UNITS),
    ),
)

measures = Section(
    "measures",
    t("Pasākumi pēdējos piecos gados", "Measures in the last five years"),
    t("Cik pasākumu katrā jomā pašvaldība īstenojusi pēdējo piecu gadu laikā. Ierakstiet 0, ja to nav bijis.",
      "How many measures of each kind the municipality ran in the last five years. Enter 0 if there were none."),
    (
        count("measures_5y_count_business_grants", "Tiešie atbalsta instrumenti grantu veidā uzņēmējdarbībai",
              "Direct grant-type support instruments for business", required=True,
              survey_key="measures_5y_count_business_grants"),
        count("measures_5y_count_job_creation", "Atbalsts darbavietu izveidei", "Support for job creation",
              required=True, survey_key="measures_5y_count_job_creation"),
        count("measures_5y_count_housing", "Atbalsts dzīvojamajam fondam", "Support for the housing stock",
              required=True, survey_key="measures_5y_count_housing"),
        count("measures_5y_count_diaspora_ties", "Aktivitātes saiknes uzturēšanai ar diasporu",
              "Activities to keep ties with the diaspora", required=True,
              survey_key="measures_5y_count_diaspora_ties"),
        count("measures_5y_count_other", "Cita veida aktivitātes", "Other activities", required=True,
              survey_key="measures_5y_count_other"),
        survey_multi("measures_5y_types", label=t(
            "Kādus remigrāciju veicinošus pasākumus pašvaldība organizējusi pēdējo piecu gadu laikā?",
            "Which remigration-promoting measures has the municipality organised in the last five years?"),
            extra=(Choice("hard_to_say", "Grūti pateikt", "Hard to say"),)),
        survey_multi("reasons_no_remigration_measures", label=t(
            "Ja pašvaldība neīsteno remigrācijas atbalsta pasākumus — kāpēc?",
            "If the municipality runs no remigration support measures — why?"),
            extra=(Choice("hard_to_say", "Grūti pateikt", "Hard to say"),)),
        long_text("support_offered_to_remigrants", "Kāds atbalsts tiek piedāvāts remigrantiem?",
                  "What support is offered to remigrants?", survey_key="support_offered_to_remigrants"),
    ),
)

BUDGET_SOURCES = (
    Choice("own_budget", "Pašvaldības budžets", "Municipal budget"),
    Choice("varam", "VARAM (valsts)", "VARAM (state)"),
    Choice("eu_eea", "ES / EEZ fondi", "EU / EEA funds"),
    Choice("leader", "LEADER", "LEADER"),
    Choice("other", "Cits avots", "Other source"),
)

budget_lines = Field(
    "budget_lines", FieldType.GROUP, t("Budžets pēc avota", "Budget by source"),
    help=help_("Katram finansējuma avotam viena rinda. Tukšs lauks nozīmē «nav zināms», nevis nulli — ja naudas "
               "nebija, ierakstiet 0.",
               "One row per funding source. A blank means “not known”, not zero — if there was no money, enter 0."),
    fields=(
        choice("source", "Avots", "Source", BUDGET_SOURCES),
        money("planned_eur", "Plānots gadā", "Planned for the year"),
        money("spent_eur", "Izlietots gadā", "Spent in the year"),
        text("purpose", "Kam izlietots", "What it was used for"),
    ), max_rows=10)

budget = Section(
    "budget",
    t("Budžets un finansējums", "Budget and funding"),
    t("Remigrācijas pasākumiem paredzētie un izlietotie līdzekļi pārskata gadā, eiro.",
      "Money planned and spent on remigration measures in the reporting year, in euro."),
    (
        budget_lines,
        survey("varam_remigration_funding_used", label=t(
            "Vai pašvaldība izmantoja VARAM finansējumu remigrācijas atbalsta pasākumiem (2018–2020)?",
            "Did the municipality use VARAM funding for remigration support measures (2018–2020)?")),
        money("ngo_grants_total_eur", "Granti vai līdzfinansējums NVO remigrācijas aktivitātēm, kopā",
              "Grants or co-financing to NGOs for remigration activities, total", warn_growth_factor=10),
        yn("joint_application_with_neighbours", "Vai pieteikumi finansējumam iesniegti kopā ar kaimiņu pašvaldībām?",
           "Were funding applications made jointly with neighbouring municipalities?", required=False),
        yn("spending_results_published", "Vai izlietojums un rezultāti ir publicēti?",
           "Are spending and results published?"),
        url_if_yes("spending_results_url", "spending_results_published", "Saite uz publikāciju",
                   "Link to the publication"),
    ),
)

__all__ = ["respondent", "attitudes", "planning", "measures", "budget", "budget_lines", "BUDGET_SOURCES", "EUR"]
