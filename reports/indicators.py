"""What an indicator is: the answers it reads, how it is computed, its base and what it is compared with.

An indicator key is stable snake_case ``<field>.<what>`` and equals the reference ``indicator_key`` of
``survey-baseline.json`` wherever the seed report publishes the same figure, so comparisons need no mapping table.

Base rules (``BaseRule``), the same for every computation:
- only records whose status the report counts (approved only, unless the caller compiles a preview);
- **a blank is never a zero**: a blank answer (``None``, an empty list — also a question not asked that year, or
  not carried by an imported file) is *missing*, outside the base (``denominator="answered"``, the default); a
  multi-choice list with nothing ticked is not "none of the options". Only an indicator that declares
  ``denominator="counted"`` — a figure the study computed on all municipalities asked, or one that counts blanks
  with the ``NO_ANSWER`` pseudo-code — keeps blanks inside its base, as "not in the numerator";
- every figure reports ``n`` (its base) and ``n_missing`` (counted units without a usable answer, whatever the
  denominator); a figure whose base is empty has no value ("no data") and is never compared;
- "hard to say" is inside the base of a share unless ``exclude_dont_know`` (the seed report counts it for
  topicality, "6 of 42", and leaves it out for planning documents, "15 of the 32 able to assess");
- numbers: "hard to say" is never a number, so means, medians, sums… leave it out and report how many said it;
- an answer of the wrong type for the computation (a code where a number belongs) is counted with the blanks:
  records carry ``forms``-validated values, so that only happens through a caller bug, and it must not move a
  figure.

``reference_keys`` usually hold the indicator's own key: a comparison appears only where the reference data has
a figure with that key and the same scope (national or a region), so listing the key costs nothing elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

#: Pseudo-code for "no answer given" (a blank), for figures that count blanks (e.g. Table 19's "no information").
NO_ANSWER = "no_answer"


class Computation(StrEnum):
    SHARE = "share"  # % of the base whose answer is in ``codes`` (or in ``value_range``); numerator kept
    COUNT = "count"  # number of units whose answer is in ``codes`` (never compared across years)
    MEAN = "mean"
    MEDIAN = "median"
    SD = "sd"  # sample standard deviation (n − 1)
    MODE = "mode"  # all most frequent values, sorted
    MIN = "min"
    MAX = "max"
    SUM = "sum"  # sum of counts (persons, measures)
    SUM_EUR = "sum_eur"  # sum of money amounts, EUR
    CROSSTAB = "crosstab"  # counts of two questions' answer pairs


NUMERIC = frozenset({Computation.MEAN, Computation.MEDIAN, Computation.SD, Computation.MODE, Computation.MIN,
                     Computation.MAX, Computation.SUM, Computation.SUM_EUR})


#: ``BaseRule.denominator``: the units that gave an answer (blanks are missing, outside the base)
ANSWERED = "answered"
#: ``BaseRule.denominator``: every counted unit of the scope (blanks inside the base, never in the numerator
#: unless the indicator counts ``NO_ANSWER``)
COUNTED = "counted"
DENOMINATORS = (ANSWERED, COUNTED)


@dataclass(frozen=True)
class BaseRule:
    """Which answers form the base (see the module docstring).

    ``denominator`` is the declared base: ``"answered"`` or ``"counted"``. ``"counted"`` takes every counted unit,
    so it cannot also leave "hard to say" out (``exclude_dont_know``): that combination raises ``ValueError``.
    """

    # None: the statuses the report is compiled with (approved only by default); a set narrows them further
    statuses: frozenset[str] | None = None
    exclude_dont_know: bool = False
    denominator: str = ANSWERED

    def __post_init__(self) -> None:
        if self.denominator not in DENOMINATORS:
            raise ValueError(f"denominator must be one of {DENOMINATORS}, not {self.denominator!r}")
        if self.denominator == COUNTED and self.exclude_dont_know:
            raise ValueError("a base of all counted units cannot leave \"hard to say\" out")


@dataclass(frozen=True)
class Indicator:
    """One figure of the catalogue.

    ``fields`` are the return field keys read (two for a crosstab: rows, columns). For a repeating group,
    ``column`` names the summed column and ``row_filter`` (column, codes) the rows that count; a unit's amount
    is unknown when any counted row's amount is blank or "hard to say" (sums never mix known and unknown parts).
    ``value_range`` (low, high, inclusive, either may be ``None``) selects numbers: the numerator of a share,
    or the values a mean/sd is taken over ("among implementers": ``(1, None)``).
    ``reference_keys`` are compared (percentage points for shares, differences for scores);
    ``context_keys`` are shown beside the figure but never subtracted (a different question or base).
    ``base`` declares the units the figure is over (``BaseRule``: the units that answered unless it says otherwise).
    ``restrict_to`` (field, codes) narrows the population to units whose answer to another question is one of
    ``codes`` (a multi-choice answer: any of them) before the base rule applies; the other units are not in
    the figure at all (not even as blanks), e.g. "the largest 2022 budget among municipalities whose budget
    increased".
    """

    key: str
    title_lv: str
    title_en: str
    fields: tuple[str, ...]
    computation: Computation
    codes: frozenset[str] = frozenset()
    value_range: tuple[Decimal | None, Decimal | None] | None = None
    base: BaseRule = BaseRule()
    reference_keys: tuple[str, ...] = ()
    context_keys: tuple[str, ...] = ()
    column: str | None = None
    row_filter: tuple[str, frozenset[str]] | None = None
    unit: str = "percent"
    cell_reference: str | None = None  # crosstab: reference key pattern with {row} and {col}
    note: str = ""  # English; ``note_lv`` the same in Latvian
    restrict_to: tuple[str, frozenset[str]] | None = None
    note_lv: str = ""

    def __post_init__(self) -> None:
        # a count of blanks is only honest over a base that holds the blanks; and only shares and counts have
        # a numerator that a blank can stay out of
        if NO_ANSWER in self.codes and self.base.denominator != COUNTED:
            raise ValueError(f"{self.key}: counting NO_ANSWER needs denominator=\"counted\"")
        if self.base.denominator == COUNTED and self.computation not in (Computation.SHARE, Computation.COUNT):
            raise ValueError(f"{self.key}: only shares and counts can take all counted units as their base")
