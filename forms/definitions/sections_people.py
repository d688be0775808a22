"""Sections J–N: returnees, contact persons, cooperation, public information, plans."""

from __future__ import annotations

from ..schema import Choice, Field, FieldType, Section
from .builders import (
    PERSONS, choice, count, help_, long_text, money, multi, survey, survey_multi, t, text, url_if_yes, when, yn,
)

COUNT_SOURCES = (
    Choice("own_records", "Pašvaldības uzskaite", "Own records"),
    Choice("regional_coordinator", "Reģionālā koordinatora dati", "Regional coordinator's data"),
    Choice("csp", "CSP dati", "Central Statistical Bureau"),
    Choice("estimate", "Novērtējums", "Estimate"),
)

returnees = Section(
    "returnees",
    t("Atgriezušies iedzīvotāji", "Returnees"),
    t("Remigrants: persona, kas vismaz trīs gadus dzīvojusi ārvalstīs un atgriezusies uz dzīvi pašvaldībā.",
      "Remigrant: a person who lived abroad for at least three years and came back to live in the municipality."),
    (
        survey("tracks_returnee_information"),
        count("returnees_persons", "Zināmie atgriezušies iedzīvotāji gadā (personas kopā, ieskaitot bērnus)",
              "Known returnees in the year (persons in total, children included)", unit=PERSONS,
              show_if=when("tracks_returnee_information", "yes")),
        count("returnees_families", "No tiem ģimenes", "Of these, families",
              show_if=when("tracks_returnee_information", "yes")),
        count("returnees_children", "No tiem bērni", "Of these, children", unit=PERSONS,
              show_if=when("tracks_returnee_information", "yes")),
        choice("returnee_count_source", "Skaita avots", "Source of the counts", COUNT_SOURCES,
               show_if=when("tracks_returnee_information", "yes")),
        count("remigrant_enquiries", "Potenciālo remigrantu jautājumi gadā", "Enquiries from potential remigrants "
              "in the year"),
        count("remigration_benefits_count", "Piešķirtie remigrācijas pabalsti", "Remigration benefits granted"),
        money("remigration_benefits_eur", "Piešķirto pabalstu summa", "Amount of benefits granted",
              warn_growth_factor=10),
    ),
)

LANGUAGES = (
    Choice("lv", "Latviešu", "Latvian"),
    Choice("en", "Angļu", "English"),
    Choice("ru", "Krievu", "Russian"),
    Choice("de", "Vācu", "German"),
    Choice("other", "Cita", "Other"),
)

contact_persons = Field(
    "contact_persons", FieldType.GROUP, t("Kontaktpersonas", "Contact persons"),
    help=help_("Persona(s), kas pašvaldībā atbild par remigrācijas jautājumiem. Vismaz viena; norādiet e-pastu "
               "vai tālruni.",
               "The person or people responsible for remigration in the municipality. At least one; give an "
               "e-mail or a phone."),
    fields=(
        text("name", "Vārds, uzvārds", "Name and surname", required=True, is_personal=True),
        # a post in one municipality names the person who holds it: personal too
        text("position", "Amats", "Position", required=True, is_personal=True),
        Field("fte_share", FieldType.DECIMAL, t("Slodze remigrācijas jautājumiem (0–1)",
              "Share of a full-time post for remigration (0–1)"), min=0, max=1,
              help=help_("Piemēram, 0,2 nozīmē vienu dienu nedēļā.", "For example, 0.2 means one day a week.")),
        Field("email", FieldType.EMAIL, t("E-pasts", "E-mail"), is_personal=True),
        Field("phone", FieldType.PHONE, t("Tālrunis", "Phone"), is_personal=True),
        multi("languages", "Valodas", "Languages", LANGUAGES),
        yn("is_public", "Drīkst publicēt", "May be published", required=True,
           help=help_("Vai šo kontaktu drīkst rādīt publiskajā pašvaldības profilā.",
                      "Whether this contact may appear on the public municipality profile.")),
    ), min_rows=1, max_rows=10)

contacts = Section(
    "contacts",
    t("Kontaktpersonas", "Contact persons"),
    None,
    (
        contact_persons,
        survey("has_remigration_coordinator"),
        survey("inquiry_routing"),
        text("inquiry_routing_other", "Pie kā cita?", "To whom else?", show_if=when("inquiry_routing", "other")),
        yn("multilingual_client_service", "Vai klientu apkalpošanas centrā var saņemt pakalpojumu citās valodās?",
           "Can the client service centre serve clients in other languages?", required=False),
        count("staff_trained_count", "Darbinieki, kas apmācīti darbam ar remigrantiem", "Staff trained to work "
              "with remigrants", unit=PERSONS),
        count("specialist_meetings_attended", "Apmeklētās speciālistu tikšanās vai vebināri",
              "Specialist meetings or webinars attended"),
        Field("contacts_confirmed_on", FieldType.DATE, t("Kontaktinformācija pēdējoreiz pārbaudīta",
              "Contact details last confirmed"), required=True),
    ),
)

COOPERATION_PARTNERS = (
    Choice("nva", "NVA", "NVA (State Employment Agency)"),
    Choice("liaa", "LIAA", "LIAA (Investment and Development Agency)"),
    Choice("ngos", "Nevalstiskās organizācijas", "NGOs"),
    Choice("employers", "Darba devēji", "Employers"),
    Choice("other", "Cits", "Other"),
)

cooperation = Section(
    "cooperation",
    t("Sadarbība", "Cooperation"),
    None,
    (
        survey("regional_coordinator_cooperation"),
        survey("info_exchange_with_other_municipalities"),
        survey("interest_in_other_municipalities_measures"),
        multi("cooperation_partners", "Sadarbības partneri remigrācijas jautājumos",
              "Cooperation partners on remigration", COOPERATION_PARTNERS),
        long_text("joint_activities", "Kopīgas aktivitātes ar kaimiņu pašvaldībām",
                  "Joint activities with neighbouring municipalities"),
    ),
)

public_info = Section(
    "public_info",
    t("Publiskā informācija", "Public information"),
    t("Kas pašvaldības tīmekļvietnē un sociālajos tīklos publicēts potenciālajiem remigrantiem.",
      "What the municipality publishes for potential remigrants on its website and social media."),
    (
        yn("return_page_published", "Atgriešanās lapa ar saitēm uz latvija.lv, paps.lv, vsaa.gov.lv",
           "A return page with links to latvija.lv, paps.lv, vsaa.gov.lv"),
        url_if_yes("return_page_url", "return_page_published", "Saite", "Link"),
        yn("relocation_handbook", "Pārcelšanās rokasgrāmata", "Relocation handbook"),
        yn("relocation_handbook_english", "Rokasgrāmata arī angļu valodā", "Handbook in English too",
           required=False, show_if=when("relocation_handbook", "yes")),
        yn("grant_information_published", "Informācija par grantiem un atbalstu uzņēmējiem",
           "Information on grants and support for entrepreneurs"),
        yn("success_stories_published", "Veiksmes stāsti un video", "Success stories and videos"),
        yn("municipality_cv_up_to_date", "Aktuāls pašvaldības raksturojums (CV)", "Up-to-date municipality "
           "profile (CV)"),
        yn("tips_and_hints_adopted", "Vienotas atbildes uz biežākajiem jautājumiem", "Standard answers to "
           "frequent questions", required=False),
        yn("remigrant_survey_held", "Vai pārskata gadā notika (potenciālo) remigrantu aptauja?",
           "Was a survey of (potential) remigrants held in the reporting year?", required=False),
    ),
)

plans = Section(
    "plans",
    t("Plāni nākamajiem pieciem gadiem", "Plans for the next five years"),
    None,
    (
        survey("plans_measures_next_5y"),
        long_text("planned_measures_next_5y", "Kādi pasākumi plānoti?", "Which measures are planned?",
                  show_if=when("plans_measures_next_5y", "yes"), survey_key="planned_measures_next_5y"),
        survey_multi("reasons_no_planned_measures", label=t("Kāpēc pasākumi netiek plānoti?",
                     "Why are no measures planned?"),
                     extra=(Choice("other", "Cits iemesls", "Other reason"),),
                     show_if=when("plans_measures_next_5y", "no", "hard_to_say")),
        text("reasons_no_planned_measures_other", "Cits iemesls — kāds?", "Other reason — which?",
             show_if=when("plans_measures_next_5y", "no", "hard_to_say")),
    ),
)

__all__ = ["returnees", "contacts", "contact_persons", "cooperation", "public_info", "plans"]
