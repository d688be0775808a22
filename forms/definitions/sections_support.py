"""Sections E–I: business grants, job creation, housing, diaspora contact, education support."""

from __future__ import annotations

from ..schema import Choice, Field, FieldType, Section
from .builders import (
    PERSONS, choice, count, help_, long_text, money, multi, percent, survey, survey_multi, t, text, url_if_yes,
    when, yn,
)

GRANT_KINDS = (
    Choice("startup_grant", "Jaunu uzņēmumu (start-up) grants", "Start-up grant"),
    Choice("innovation", "Inovāciju grants", "Innovation grant"),
    Choice("social_enterprise", "Sociālās uzņēmējdarbības grants", "Social enterprise grant"),
    Choice("youth_ideas", "Jauniešu ideju konkurss", "Youth ideas competition"),
    Choice("project_cofinancing", "Projektu līdzfinansējums", "Project co-financing"),
    Choice("remigrant_business", "Grants remigrantu uzņēmējdarbībai", "Business grant for remigrants"),
    Choice("other", "Cits", "Other"),
)
ELIGIBILITY = (
    Choice("remigrants_only", "Tikai remigrantiem", "Remigrants only"),
    Choice("open_to_all", "Visiem iedzīvotājiem (remigranti var pieteikties)", "Open to all residents"),
)


def grant_programmes_group(with_follow_up: bool) -> Field:
    fields = [
        text("name", "Programmas nosaukums", "Programme name", required=True),
        choice("kind", "Veids", "Kind", GRANT_KINDS, required=True),
        text("target_group", "Mērķa grupa", "Target group"),
        choice("eligibility", "Kam pieejama", "Who may apply", ELIGIBILITY, required=True),
        money("max_grant_eur", "Maksimālais grants vienam projektam", "Maximum grant per project"),
        money("total_fund_eur", "Kopējais fonds gadā", "Total fund for the year"),
        percent("cofinancing_pct", "Pieprasītais līdzfinansējums", "Required own co-financing"),
        count("applications_received", "Saņemtie pieteikumi", "Applications received"),
        count("applications_evaluated", "Izvērtētie pieteikumi", "Applications evaluated"),
        count("applications_supported", "Atbalstītie pieteikumi", "Applications supported"),
        yn("remigrant_extra_points", "Papildu punkti remigrantiem", "Extra points for remigrants", required=False),
        count("jobs_created", "Radītās darbavietas", "Jobs created"),
    ]
    if with_follow_up:  # asked from 2026: follow-up of funded firms (requirements §5.7)
        fields.append(count("firms_operating_after_1y", "Atbalstītie uzņēmumi, kas darbojas pēc 1 gada",
                            "Supported firms still operating after 1 year"))
    return Field(
        "grant_programmes", FieldType.GROUP, t("Grantu programmas", "Grant programmes"),
        help=help_("Katrai uzņēmējdarbības atbalsta programmai, kas darbojās pārskata gadā, viena rinda.",
                   "One row for each business support programme that ran in the reporting year."),
        fields=tuple(fields), max_rows=30, survey_key="business_grant_instruments",
        show_if=when("has_business_grants", "yes"))


def business_section(with_follow_up: bool) -> Section:
    return Section(
        "business_grants",
        t("Uzņēmējdarbības atbalsta granti", "Business support grants"),
        None,
        (
            yn("has_business_grants", "Vai pārskata gadā darbojās kāda uzņēmējdarbības grantu programma?",
               "Did any business grant programme run in the reporting year?"),
            grant_programmes_group(with_follow_up),
            long_text("business_support_gaps_needs", "Kā pietrūkst un kas palīdzētu veicināt uzņēmējdarbību?",
                      "What is lacking, and what would help to promote business?",
                      survey_key="business_support_gaps_needs"),
        ),
    )


VACANCY_PUBLISHING = (
    Choice("none", "Netiek publicētas", "Not published"),
    Choice("municipal_only", "Tikai pašvaldības vakances", "Municipal vacancies only"),
    Choice("also_private", "Arī privātā sektora vakances", "Private-sector vacancies too"),
    Choice("self_service", "Uzņēmēji paši ievieto vakances", "Employers post vacancies themselves"),
)
JOB_PARTNERS = (
    Choice("esi_lv", "#esi.LV", "#esi.LV"),
    Choice("your_move", "Your Move", "Your Move"),
    Choice("nva_eures", "NVA (EURES)", "NVA (EURES)"),
    Choice("liaa", "LIAA", "LIAA"),
    Choice("other", "Cits", "Other"),
)

jobs = Section(
    "jobs",
    t("Darbavietas un speciālistu piesaiste", "Job creation and attracting specialists"),
    None,
    (
        yn("job_creation_support", "Vai pārskata gadā sniegts atbalsts darbavietu izveidei?",
           "Was support for job creation given in the reporting year?"),
        yn("specialist_wage_subsidy", "Vai ir algas piemaksa vai līdzīgs atbalsts augsti kvalificētiem "
           "speciālistiem?", "Is there a wage supplement or similar support for highly qualified specialists?"),
        long_text("shortage_profession_programmes", "Programmas deficīta profesijām (profesija, atbalsta veids)",
                  "Programmes for shortage professions (profession, kind of support)"),
        count("specialists_attracted", "Piesaistītie speciālisti", "Specialists attracted", unit=PERSONS),
        money("specialist_support_eur", "Speciālistiem piešķirtais atbalsts", "Support granted to specialists",
              warn_growth_factor=10),
        yn("commuting_subsidy", "Vai tiek kompensēti ceļa izdevumi uz darbu?", "Are commuting costs subsidised?",
           required=False),
        count("job_fairs_count", "Rīkotās darba gadatirgus", "Job fairs organised"),
        choice("vacancies_published", "Kādas vakances pašvaldība publicē?", "Which vacancies does the "
               "municipality publish?", VACANCY_PUBLISHING, required=True),
        yn("company_database", "Vai ir uzņēmumu datubāze darba jautājumiem?",
           "Is there a database of companies for job enquiries?", required=False),
        count("jobs_without_latvian", "Zināmās vakances, kur sākumā nav vajadzīga latviešu valoda",
              "Known vacancies that need no Latvian at first"),
        multi("job_partners", "Sadarbība ar", "Cooperation with", JOB_PARTNERS),
    ),
)

housing = Section(
    "housing",
    t("Mājoklis un dzīvojamais fonds", "Housing and dwelling stock"),
    None,
    (
        survey("housing_shortage_topicality"),
        count("municipal_dwellings_total", "Pašvaldības dzīvokļi kopā", "Municipal dwellings, total"),
        count("vacant_dwellings_habitable", "No tiem brīvi un apdzīvojami", "Of these, vacant and habitable"),
        count("vacant_dwellings_need_repair", "No tiem brīvi, bet jāremontē", "Of these, vacant and needing repair"),
        count("flats_renovated", "Pārskata gadā atjaunoti un izīrēšanai nodoti dzīvokļi",
              "Flats renovated and released for rent this year"),
        money("renovation_spend_eur", "Atjaunošanas izmaksas", "Renovation spending", warn_growth_factor=10),
        yn("free_flats_list_published", "Vai ir publisks brīvo dzīvokļu saraksts?",
           "Is there a public list of free flats?"),
        url_if_yes("free_flats_list_url", "free_flats_list_published", "Saite uz sarakstu", "Link to the list"),
        yn("specialist_rental_scheme", "Vai ir īres iespējas speciālistiem?", "Is there rental housing for "
           "specialists?"),
        count("flats_let_to_specialists", "Speciālistiem izīrētie dzīvokļi", "Flats let to specialists",
              show_if=when("specialist_rental_scheme", "yes")),
        yn("construction_cofinancing", "Vai pašvaldība līdzfinansē īres mājokļu būvniecību?",
           "Does the municipality co-finance the construction of rental housing?"),
        yn("housing_database_published", "Vai publicēta mājokļu un uzņēmējdarbībai pieejamā īpašuma datubāze?",
           "Is a database of housing and business property published?"),
        url_if_yes("housing_database_url", "housing_database_published", "Saite uz datubāzi",
                   "Link to the database"),
        count("housing_requests_from_remigrants", "Remigrantu pieprasījumi pēc mājokļa atbalsta gadā",
              "Requests for housing support from remigrants in the year"),
    ),
)

ACTIVITY_TYPES = (
    Choice("visit_abroad", "Vizīte ārvalstīs", "Visit abroad"),
    Choice("online_meeting", "Tiešsaistes tikšanās", "Online meeting"),
    Choice("reunion", "Novadnieku salidojums", "Reunion of former residents"),
    Choice("camp", "Nometne", "Camp"),
    Choice("newsletter", "Jaunumu vēstule vai e-pasts", "Newsletter or e-mail"),
    Choice("social_media_group", "Sociālo tīklu grupa", "Social media group"),
    Choice("hackathon", "Hakatons", "Hackathon"),
    Choice("video", "Video (LV/EN)", "Video (LV/EN)"),
    Choice("booklet", "Buklets", "Booklet"),
    Choice("survey", "Potenciālo remigrantu aptauja", "Survey of potential remigrants"),
    Choice("thank_you_event", "Pateicības pasākums", "Thank-you event"),
    Choice("ambassador", "Vēstnieka uzstāšanās", "Ambassador appearance"),
    Choice("other", "Cits", "Other"),
)

diaspora_activities = Field(
    "diaspora_activities", FieldType.GROUP, t("Aktivitātes ar diasporu", "Diaspora contact activities"),
    help=help_("Katrai pārskata gada aktivitātei viena rinda.", "One row for each activity in the reporting year."),
    fields=(
        choice("activity_type", "Veids", "Type", ACTIVITY_TYPES, required=True),
        Field("activity_date", FieldType.DATE, t("Datums", "Date")),
        yn("is_online", "Tiešsaistē", "Online", required=False),
        text("country", "Valsts", "Country", show_if=when("is_online", "no", "hard_to_say")),
        count("participants", "Dalībnieki", "Participants", unit=PERSONS),
        text("activity_note", "Piezīme", "Note"),
    ), max_rows=50)

diaspora = Section(
    "diaspora",
    t("Saikne ar diasporu", "Diaspora contact"),
    None,
    (
        survey("maintains_contact_with_emigrants"),
        diaspora_activities,
        yn("visits_with_vacancy_offers", "Vai tikšanās reizēs tika piedāvātas sagatavotas vakances?",
           "Did meetings come with prepared vacancy offers?", required=False),
        yn("emigrant_database", "Vai pašvaldība uztur aizbraukušo kontaktu datubāzi?",
           "Does the municipality keep a database of emigrant contacts?"),
        count("emigrant_contacts_count", "Kontaktu skaits datubāzē", "Contacts in the database",
              show_if=when("emigrant_database", "yes")),
        yn("diaspora_news_publication", "Vai regulāri tiek izdoti jaunumi diasporai?",
           "Is there a regular news publication for the diaspora?", required=False),
    ),
)

education = Section(
    "education",
    t("Izglītība un atbalsts ģimenēm", "Education and family support"),
    None,
    (
        yn("extra_latvian_lessons", "Vai remigrantu bērniem ir papildu latviešu valodas stundas?",
           "Are there extra Latvian lessons for remigrant children?"),
        Field("extra_lessons_hours_per_week", FieldType.DECIMAL, t("Stundas nedēļā vienam bērnam",
              "Hours per child per week"), min=0, max=40, show_if=when("extra_latvian_lessons", "yes")),
        count("remigrant_children_served", "Bērni, kas saņēma atbalstu", "Children who received support",
              unit=PERSONS),
        count("schools_with_remigrant_support", "Skolas ar atbalstu remigrantu bērniem",
              "Schools supporting remigrant children"),
        yn("teacher_assistant_available", "Vai skolotāja palīgs pieejams katram bērnam, kam tas vajadzīgs?",
           "Is a teacher's assistant available to every child who needs one?", required=False),
        yn("kindergarten_priority", "Vai ārzemēs dzīvojušām ģimenēm ir prioritāte bērnudārza rindā?",
           "Do families who lived abroad get priority in the kindergarten queue?"),
        count("kindergarten_queue", "Bērnudārza rindas garums", "Kindergarten queue length", unit=PERSONS),
        yn("free_latvian_courses_adults", "Vai pieaugušajiem un laulātajiem ir bezmaksas latviešu valodas kursi?",
           "Are there free Latvian courses for adults and spouses?", required=False),
        count("school_psychologists_trained", "Skolu psihologi, kas apmācīti darbam ar remigrantu bērniem",
              "School psychologists trained to work with remigrant children"),
    ),
)

__all__ = ["business_section", "grant_programmes_group", "jobs", "housing", "diaspora", "education",
           "diaspora_activities", "survey_multi"]
