"""What only the 2022 history definition asks: the 2022 survey questions the yearly return does not ask again.

The 2022 survey (seed report, chapter 4.2) asked about the remigration budget against 2017 (L3638–3646); the
yearly return records budget lines of the reporting year instead, so these two questions live here and are added
to the 2022 definition alone (``definitions._history``).

The plans section differs from the yearly one in its conditions only: the study names planned measures for 20
municipalities although 18 answered "yes" (L3718–3754), and four of them also gave reasons for planning none
(Madona, Alūksne, Ludza, Augšdaugava; L3756–3764). A "hard to say" answer therefore keeps both its planned
measures and its reasons, so the named facts of 2022 are not dropped as answers to questions that do not apply.
"""

from __future__ import annotations

from dataclasses import replace

from ..schema import Section
from .builders import help_, money, survey, t, when
from .sections_people import plans
from .survey_questions import SURVEY_QUESTIONS

_BUDGET_EUR = "remigration_budget_eur_2022"

budget_2022 = Section(
    "budget_2022",
    t("Budžets remigrācijai 2017–2022 (2022. gada aptauja)", "Remigration budget 2017–2022 (2022 survey)"),
    t("2022. gada pašvaldību aptaujas jautājumi par budžetu remigrācijas aktivitātēm.",
      "The 2022 municipal survey's questions on the budget for remigration activities."),
    (
        survey("remigration_budget_change_since_2017"),
        money(_BUDGET_EUR, SURVEY_QUESTIONS[_BUDGET_EUR][0].lv, SURVEY_QUESTIONS[_BUDGET_EUR][0].en, min=0,
              survey_key=_BUDGET_EUR,
              help=help_("Tukšs lauks nozīmē «nav zināms»; ja budžetā līdzekļu nebija, ierakstiet 0.",
                         "A blank means “not known”; if the budget had no money for it, enter 0.")),
    ),
)

#: the yearly plans section, with "hard to say" keeping the planned measures too (see the module docstring)
plans_2022 = replace(plans, fields=tuple(
    replace(f, show_if=when("plans_measures_next_5y", "yes", "hard_to_say")) if f.key == "planned_measures_next_5y"
    else f for f in plans.fields))

__all__ = ["budget_2022", "plans_2022"]
