"""The catalogue's entries, built with small helpers so the list stays readable.

Titles are generated from the question stems below and the answer labels of ``forms``; keys follow
``<field>.<answer or statistic>`` and equal the reference ``indicator_key`` wherever the seed report has one.
"""

from __future__ import annotations

from decimal import Decimal

from . import labels
from .indicators import ANSWERED, COUNTED, BaseRule, Computation, Indicator, NO_ANSWER

#: Short question stems for titles (LV, EN).
STEMS: dict[str, tuple[str, str]] = {
    "remigration_promotion_topicality": ("Remigrācijas veicināšanas aktualitāte", "Topicality of promoting remigration"),
    "support_programmes_needed": ("Atbalsta programmu nepieciešamība", "Need for support programmes"),
    "remigration_policy_competence": ("Remigrācijas politikas kompetence", "Competence for remigration policy"),
    "municipal_role_in_remigration": ("Pašvaldību loma remigrācijā", "Role of municipalities in remigration"),
    "planning_docs_include_remigration_measures": ("Plānošanas dokumentos paredzēti remigrācijas pasākumi",
                                                   "Planning documents include remigration measures"),
    "planning_docs_recognise_emigration": ("Plānošanas dokumentos atzīta emigrācija",
                                           "Planning documents recognise emigration"),
    "diaspora_involved_in_policy_drafting": ("Diaspora iesaistīta politikas izstrādē",
                                             "Diaspora involved in drafting policy"),
    "varam_remigration_funding_used": ("Izmantots VARAM finansējums (2018–2020)", "VARAM funding used (2018–2020)"),
    "state_support_sufficiency_score": ("Valsts atbalsta pietiekamība (0–10)", "Sufficiency of state support (0–10)"),
    "eu_state_grant_uptake_score": ("ES un valsts grantu izmantošana (0–10)", "Use of EU and state grants (0–10)"),
    "housing_shortage_topicality": ("Mājokļu trūkuma aktualitāte", "Topicality of the housing shortage"),
    "plans_measures_next_5y": ("Pasākumi plānoti nākamajos 5 gados", "Measures planned for the next 5 years"),
    "interest_in_other_municipalities_measures": ("Interese par citu pašvaldību pasākumiem",
                                                  "Interest in other municipalities' measures"),
    "info_exchange_with_other_municipalities": ("Informācijas apmaiņa ar citām pašvaldībām",
                                                "Information exchange with other municipalities"),
    "regional_coordinator_cooperation": ("Sadarbība ar reģionālo koordinatoru",
                                         "Cooperation with the regional coordinator"),
    "inquiry_routing": ("Pie kā sūta potenciālo remigrantu", "Where a potential remigrant is referred"),
    "measures_5y_types": ("Pasākumi pēdējos 5 gados", "Measures in the last 5 years"),
    "reasons_no_remigration_measures": ("Iemesli, kāpēc pasākumi netiek īstenoti", "Reasons for running no measures"),
    "tracks_returnee_information": ("Uzkrāj informāciju par atgriezušajiem", "Keeps information on returnees"),
    "has_remigration_coordinator": ("Pašvaldībā ir remigrācijas koordinators",
                                    "The municipality has a remigration coordinator"),
    "maintains_contact_with_emigrants": ("Uztur saikni ar aizbraukušajiem", "Keeps in touch with emigrants"),
    "has_separate_budget_line": ("Atsevišķa budžeta pozīcija remigrācijai", "Separate budget line for remigration"),
    "has_business_grants": ("Darbojas uzņēmējdarbības grantu programma", "A business grant programme runs"),
    "remigration_budget_change_since_2017": ("Remigrācijas budžeta izmaiņas kopš 2017. gada",
                                             "Change of the remigration budget since 2017"),
    "remigration_budget_eur_2022": ("Remigrācijas budžets 2022. gadā", "Remigration budget in 2022"),
    "reasons_no_planned_measures": ("Iemesli, kāpēc pasākumi netiek plānoti", "Reasons for planning no measures"),
}

MEASURE_COUNT_FIELDS: tuple[str, ...] = (
    "measures_5y_count_business_grants",
    "measures_5y_count_job_creation",
    "measures_5y_count_housing",
    "measures_5y_count_diaspora_ties",
    "measures_5y_count_other",
)
MEASURE_COUNT_TITLES: dict[str, tuple[str, str]] = {
    "measures_5y_count_business_grants": ("Tiešie atbalsta instrumenti grantu veidā uzņēmējdarbībai",
                                          "Direct grant-type support for business"),
    "measures_5y_count_job_creation": ("Atbalsts darbavietu izveidei", "Support for job creation"),
    "measures_5y_count_housing": ("Atbalsts dzīvojamajam fondam", "Support for the housing stock"),
    "measures_5y_count_diaspora_ties": ("Aktivitātes saiknes uzturēšanai ar diasporu",
                                        "Activities to keep ties with the diaspora"),
    "measures_5y_count_other": ("Cita veida aktivitātes", "Other activities"),
}


def _stem(field: str) -> tuple[str, str]:
    return STEMS.get(field) or (labels.question(field, "lv"), labels.question(field, "en"))


def _answer_words(field: str, codes: tuple[str, ...], locale: str) -> str:
    return " / ".join(labels.label(field, c, locale) if c != NO_ANSWER else
                      ("nav atbildes" if locale == "lv" else "no answer") for c in codes)


def share(field: str, name: str, *codes: str, exclude_dk: bool = False, denominator: str = ANSWERED,
          refs: tuple[str, ...] | None = None, context: tuple[str, ...] = (), note: str = "",
          note_lv: str = "") -> Indicator:
    """% of units whose answer (or, for a multi-choice list, any ticked code) is one of ``codes``, over the units
    that answered (or, with ``denominator="counted"``, over every counted unit)."""
    key = f"{field}.{name}"
    lv, en = _stem(field)
    return Indicator(
        key, f"{lv}: {_answer_words(field, codes, 'lv')}", f"{en}: {_answer_words(field, codes, 'en')}",
        (field,), Computation.SHARE, codes=frozenset(codes),
        base=BaseRule(exclude_dont_know=exclude_dk, denominator=denominator),
        reference_keys=(key,) if refs is None else refs, context_keys=context, note=note, note_lv=note_lv)


def shares(field: str, groups: dict[str, tuple[str, ...]] | None = None, *, exclude_dk: bool = False,
           denominator: str = ANSWERED, codes: tuple[str, ...] | None = None,
           special: dict[str, dict[str, object]] | None = None) -> list[Indicator]:
    """One share per answer code (``codes``, default: the field's, "hard to say" last unless excluded), then the
    named ``groups`` of codes. ``special`` gives one entry its own ``refs``/``context``/``note``."""
    special = special or {}
    names: list[tuple[str, tuple[str, ...]]] = [
        (code, (code,)) for code in (codes or labels.codes(field, with_dont_know=not exclude_dk))]
    names += list((groups or {}).items())
    return [share(field, name, *members, exclude_dk=exclude_dk, denominator=denominator,
                  **special.get(name, {}))  # type: ignore[arg-type]
            for name, members in names]


def numeric(field: str, name: str, computation: Computation, *, unit: str, lv: str, en: str,
            value_range: tuple[int | None, int | None] | None = None, refs: tuple[str, ...] | None = None,
            column: str | None = None, row_filter: tuple[str, frozenset[str]] | None = None,
            note: str = "") -> Indicator:
    key = f"{field}.{name}"
    rng = None if value_range is None else tuple(None if v is None else Decimal(v) for v in value_range)
    return Indicator(key, lv, en, (field,), computation, value_range=rng,  # type: ignore[arg-type]
                     reference_keys=(key,) if refs is None else refs, column=column, row_filter=row_filter,
                     unit=unit, note=note)


def score_indicators(field: str, *, min_key: str = "min", max_key: str = "max") -> list[Indicator]:
    lv, en = _stem(field)
    parts = [
        ("mean", Computation.MEAN, "vidējais", "mean"), ("median", Computation.MEDIAN, "mediāna", "median"),
        ("sd", Computation.SD, "standartnovirze", "standard deviation"), ("mode", Computation.MODE, "moda", "mode"),
        (min_key, Computation.MIN, "mazākais", "lowest"), (max_key, Computation.MAX, "lielākais", "highest"),
    ]
    out = [numeric(field, name, comp, unit="score", lv=f"{lv}: {wlv}", en=f"{en}: {wen}")
           for name, comp, wlv, wen in parts]
    out.append(Indicator(f"{field}.share_5_or_6", f"{lv}: 5 vai 6 balles", f"{en}: 5 or 6 points", (field,),
                         Computation.SHARE, value_range=(Decimal(5), Decimal(6)),
                         base=BaseRule(exclude_dont_know=True), reference_keys=(f"{field}.share_5_or_6",)))
    return out


def measure_count_indicators(field: str) -> list[Indicator]:
    """Table 16: units without measures (a share with its count), and mean and sd among implementers (≥ 1)."""
    lv, en = MEASURE_COUNT_TITLES[field]
    return [
        Indicator(f"{field}.municipalities_without", f"{lv}: pašvaldības bez pasākumiem",
                  f"{en}: municipalities without measures", (field,), Computation.SHARE,
                  value_range=(Decimal(0), Decimal(0)), base=BaseRule(exclude_dont_know=True),
                  reference_keys=(f"{field}.municipalities_without",)),
        numeric(field, "mean_count_among_implementers", Computation.MEAN, unit="mean_count", value_range=(1, None),
                lv=f"{lv}: vidējais skaits īstenotājiem", en=f"{en}: mean count among implementers"),
        numeric(field, "sd_count_among_implementers", Computation.SD, unit="std_dev", value_range=(1, None),
                lv=f"{lv}: standartnovirze īstenotājiem", en=f"{en}: standard deviation among implementers"),
        numeric(field, "total", Computation.SUM, unit="measures", refs=(),
                lv=f"{lv}: pasākumu skaits kopā", en=f"{en}: measures in total"),
    ]


def money_sum(field: str, name: str, lv: str, en: str, *, column: str | None = None,
              row_filter: tuple[str, frozenset[str]] | None = None) -> Indicator:
    return numeric(field, name, Computation.SUM_EUR, unit="eur", lv=lv, en=en, refs=(), column=column,
                   row_filter=row_filter)


def count_sum(field: str, lv: str, en: str) -> Indicator:
    return numeric(field, "sum", Computation.SUM, unit="persons", lv=lv, en=en, refs=())


def crosstab(rows: str, cols: str, name: str, lv: str, en: str, cell_reference: str | None = None) -> Indicator:
    return Indicator(f"{rows}.{name}", lv, en, (rows, cols), Computation.CROSSTAB, unit="count",
                     cell_reference=cell_reference)


def largest_among(field: str, name: str, lv: str, en: str, *, among: tuple[str, frozenset[str]]) -> Indicator:
    """The largest amount of ``field`` among the units whose answer to ``among[0]`` is one of ``among[1]``."""
    key = f"{field}.{name}"
    return Indicator(key, lv, en, (field,), Computation.MAX, reference_keys=(key,), unit="eur", restrict_to=among)


_TOPICAL = {"very_or_rather_topical": ("very_topical", "rather_topical"),
            "not_topical": ("rather_not_topical", "not_at_all_topical")}
_SOURCES = ("own_budget", "varam", "eu_eea", "leader", "other")


def build_indicators() -> list[Indicator]:
    """Every indicator, in the order reports list them (the seed report's chapter 4.2 order, then the return's)."""
    items: list[Indicator] = []
    add = items.extend

    # C1: topicality ("6 of 42": hard to say stays in the base)
    add(shares("remigration_promotion_topicality", _TOPICAL))
    # C2: need for support programmes; the 2017 "can return on their own" (42 %) is another question and base
    add(shares("support_programmes_needed", {
        "very_or_rather_necessary": ("very_necessary", "rather_necessary"),
        "not_necessary_any_degree": ("rather_not_necessary", "definitely_not_necessary")}, special={
        "not_necessary_any_degree": {
            "context": ("reasons_no_remigration_measures.can_return_unaided",),
            "note": "The seed report sets 2017's 42 % 'can return on their own' beside it, but that is "
                    "another question with another base: shown, not subtracted.",
            "note_lv": "Pētījumā blakus norādīti 2017. gada 42 % „var atgriezties paši”, taču tas ir cits "
                       "jautājums ar citu bāzi: parādīts, bet starpība netiek rēķināta."}}))
    # C3, C4
    add(shares("remigration_policy_competence", {"municipal_any_degree": ("municipal_only", "rather_municipal"),
                                                 "state_any_degree": ("rather_state", "state_only")}))
    add(shares("municipal_role_in_remigration", {"very_or_fairly_large": ("very_large", "fairly_large")}))
    # C5: planning documents ("15 of the 32 able to assess": hard to say outside the base)
    add(shares("planning_docs_include_remigration_measures", exclude_dk=True))
    items.append(Indicator(
        "planning_docs_include_remigration_measures.able_to_assess", "Plānošanas dokumenti: spēja novērtēt",
        "Planning documents: able to assess", ("planning_docs_include_remigration_measures",), Computation.COUNT,
        codes=frozenset({"yes", "no"}), unit="count",
        reference_keys=("planning_docs_include_remigration_measures.able_to_assess",)))
    add(shares("planning_docs_recognise_emigration"))
    add(shares("diaspora_involved_in_policy_drafting"))
    # C6: VARAM (39 % = 16 of 41: hard to say inside the base)
    add(shares("varam_remigration_funding_used"))
    # C7–C9: the two 0–10 scores (the scatter and its R² are a table)
    add(score_indicators("state_support_sufficiency_score"))
    add(score_indicators("eu_state_grant_uptake_score", min_key="range_low", max_key="range_high"))
    # C10: housing shortage
    add(shares("housing_shortage_topicality", _TOPICAL))
    # C11: budget (the 2022 budget-change question is not in the return; the return records amounts)
    add(shares("has_separate_budget_line"))
    add([money_sum("budget_lines", "spent_eur.total", "Izlietots remigrācijai, kopā", "Spent on remigration, total",
                   column="spent_eur"),
         money_sum("budget_lines", "planned_eur.total", "Plānots remigrācijai, kopā",
                   "Planned for remigration, total", column="planned_eur")])
    add(money_sum("budget_lines", f"spent_eur.{source}",
                  f"Izlietots: {labels.label('budget_lines', source, 'lv', 'source')}",
                  f"Spent: {labels.label('budget_lines', source, 'en', 'source')}",
                  column="spent_eur", row_filter=("source", frozenset({source}))) for source in _SOURCES)
    add([money_sum("ngo_grants_total_eur", "sum", "Granti NVO, kopā", "Grants to NGOs, total"),
         money_sum("grant_programmes", "total_fund_eur.total", "Grantu programmu fondi, kopā",
                   "Grant programme funds, total", column="total_fund_eur")])
    # C11, 2022 survey only: budget change since 2017 ("22 of 41 unchanged": hard to say in the base) and the
    # 2022 amount; L3645–3646 bounds the largest amount among the municipalities whose budget increased
    budget_change = "remigration_budget_change_since_2017"
    add(shares(budget_change, {"increased_or_decreased": ("increased", "decreased")}))
    add([money_sum("remigration_budget_eur_2022", "total", "Remigrācijas budžets 2022. gadā, kopā",
                   "Remigration budget in 2022, total"),
         largest_among("remigration_budget_eur_2022", "increased_municipalities",
                       "Lielākais 2022. gada remigrācijas budžets pašvaldībām, kurām tas palielinājies",
                       "Largest 2022 remigration budget among municipalities whose budget increased",
                       among=(budget_change, frozenset({"increased"})))])
    add(shares("has_business_grants", special={
        "no": {"context": ("business_grant_instruments.none_identified",)}}))
    # C12: measure types (a tick list; nothing ticked is missing, not "none of these": the study states no base)
    measure_codes = labels.codes("measures_5y_types", with_dont_know=False)
    add(shares("measures_5y_types", {"any": measure_codes}, codes=measure_codes, special={
        "other": {"context": ("measures_5y_types.other_informal_conversations",
                              "measures_5y_types.other_social_media_groups", "measures_5y_types.other_email_letters",
                              "measures_5y_types.other_school_for_remigrant_children")},
        "any": {"note": "2017: share of municipal territories with measures in the previous five years (Att. 20).",
                "note_lv": "2017: to pašvaldību teritoriju īpatsvars, kurās iepriekšējos piecos gados īstenoti "
                           "pasākumi (20. att.)."}}))
    add(shares("reasons_no_remigration_measures"))
    # C13, C14: Table 16
    for field in MEASURE_COUNT_FIELDS:
        add(measure_count_indicators(field))
    # C15: plans; 2017's "a further 25 % planned" is the seed report's own comparison (Att. 33)
    add(shares("plans_measures_next_5y", special={
        "yes": {"refs": ("plans_measures_next_5y.yes", "plans_measures_next_5y.yes_additional")}}))
    # reasons for planning none: coded open answers, base = municipalities that gave a reason (the form's own
    # "other" has no survey code and stays out of the figures; the named units are in a table)
    add(shares("reasons_no_planned_measures"))
    # C16, C17: interest and exchange (Tables 17, 18)
    add(shares("interest_in_other_municipalities_measures", {"any_interest": ("yes", "some", "little")}))
    add(shares("info_exchange_with_other_municipalities"))
    items.append(crosstab(
        "interest_in_other_municipalities_measures", "info_exchange_with_other_municipalities", "by_info_exchange",
        "Interese par citu pašvaldību pasākumiem × informācijas apmaiņa",
        "Interest in other municipalities' measures × information exchange",
        cell_reference="interest_in_other_municipalities_measures.{row}.by_info_exchange.{col}"))
    # C18, C19
    add(shares("regional_coordinator_cooperation", {"good_or_very_good": ("very_good", "good")}))
    add(shares("inquiry_routing"))
    items.append(Indicator(
        "inquiry_routing.no_information", "Pie kā sūta: nav atbildes", "Where referred: no answer",
        ("inquiry_routing",), Computation.COUNT, codes=frozenset({NO_ANSWER}), unit="count",
        base=BaseRule(denominator=COUNTED),  # Table 19 counts the blanks among the municipalities asked
        reference_keys=("inquiry_routing.no_information",)))
    # returnees and context (C21) and the return's own counts
    add(shares("tracks_returnee_information"))
    add(shares("has_remigration_coordinator"))
    add(shares("maintains_contact_with_emigrants"))
    add([count_sum("returnees_persons", "Atgriezušies iedzīvotāji, kopā", "Returnees, total"),
         count_sum("returnees_families", "Atgriezušās ģimenes, kopā", "Returning families, total"),
         count_sum("returnees_children", "Atgriezušies bērni, kopā", "Returning children, total"),
         count_sum("remigrant_enquiries", "Potenciālo remigrantu jautājumi, kopā", "Enquiries, total"),
         count_sum("remigration_benefits_count", "Piešķirtie pabalsti, kopā", "Benefits granted, total"),
         money_sum("remigration_benefits_eur", "sum", "Piešķirto pabalstu summa", "Benefits granted, EUR")])
    return items
