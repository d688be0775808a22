"""Descriptive statistics, exact on ``int``, ``Decimal`` and ``float`` inputs, defined on empty input.

Contract shared by every function here:

- Inputs are iterables of numbers. ``None``, ``bool``, non-numbers and non-finite values (NaN, infinity — PostgreSQL
  NUMERIC has NaN) are skipped, so a function never raises on data and never divides by zero.
- A ``float`` is read as the number it prints as (``0.1`` is one tenth, not the binary approximation), because
  floats here come from JSON reference data or literals, where the written digits are what was meant.
- Sums, sums of squares and cross-products are computed exactly (Decimal with a 400-digit context that traps any
  rounding, falling back to ``fractions.Fraction``); only the final division or square root rounds, to 28
  significant digits, half-even. Same inputs in any order → the same ``Decimal``.
- Too little data gives ``None``: the mean, median, minimum and maximum need one value, the standard deviation
  and Pearson's r two (and some variation, for r).

The standard deviation is the **sample** one (divisor n − 1), as SPSS reports it ("Std. Deviation") and as the
seed report's Table 16 shows; ``pstdev`` (divisor n) exists to make the difference testable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow,
)
from fractions import Fraction
from typing import Any, Hashable, Iterable, Sequence

Number = int | float | Decimal
Exact = Decimal | Fraction

# exact arithmetic: any rounding raises Inexact, and we fall back to Fraction
_EXACT = Context(prec=400, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999,
                 traps=[Inexact, Overflow, InvalidOperation, DivisionByZero])
_WIDE = Context(prec=60, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)  # before the last rounding
_OUT = Context(prec=28, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)
_ROUND_UP = Context(prec=400, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999)  # display rounding only


def to_decimal(value: Any) -> Decimal | None:
    """The finite ``Decimal`` a value stands for, or ``None`` when it is no number (see the module contract)."""
    kind = type(value)  # exact types first: this runs once per value of every statistic
    if kind is Decimal:
        return value if value.is_finite() else None
    if kind is int:
        return Decimal(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        return None
    return number if number.is_finite() else None


def numbers(values: Iterable[Any]) -> list[Decimal]:
    """The finite numbers among ``values``, as ``Decimal``, in input order."""
    out = []
    for value in values:
        number = to_decimal(value)
        if number is not None:
            out.append(number)
    return out


# ------------------------------------------------------------------------------------------------ exact sums

def _sum(xs: Sequence[Decimal]) -> Exact:
    try:
        total = Decimal(0)
        for x in xs:
            total = _EXACT.add(total, x)
        return total
    except (Inexact, Overflow):
        return sum((Fraction(x) for x in xs), Fraction(0))


def _sum_products(xs: Sequence[Decimal], ys: Sequence[Decimal]) -> Exact:
    try:
        total = Decimal(0)
        for x, y in zip(xs, ys):
            total = _EXACT.add(total, _EXACT.multiply(x, y))
        return total
    except (Inexact, Overflow):
        return sum((Fraction(x) * Fraction(y) for x, y in zip(xs, ys)), Fraction(0))


def _lin(a: Exact, b: Exact, c: Exact, d: Exact) -> Exact:
    """a·b − c·d, exactly."""
    if not any(isinstance(v, Fraction) for v in (a, b, c, d)):
        try:
            return _EXACT.subtract(_EXACT.multiply(a, b), _EXACT.multiply(c, d))  # type: ignore[arg-type]
        except (Inexact, Overflow):
            pass
    return Fraction(a) * Fraction(b) - Fraction(c) * Fraction(d)


def _mul(a: Exact, b: Exact) -> Exact:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        try:
            return _EXACT.multiply(a, b)
        except (Inexact, Overflow):
            pass
    return Fraction(a) * Fraction(b)


def _parts(value: Exact | int) -> tuple[Decimal, Decimal]:
    if isinstance(value, Fraction):
        return Decimal(value.numerator), Decimal(value.denominator)
    return Decimal(value), Decimal(1)


def _divide(num: Exact | int, den: Exact | int, context: Context = _OUT) -> Decimal:
    """num / den rounded once, in ``context`` (den must not be zero: callers check)."""
    a, b = _parts(num)
    c, d = _parts(den)
    # (a/b) / (c/d) = (a·d) / (b·c); the products of integers-as-Decimals are exact in _EXACT up to 400 digits
    try:
        top, bottom = _EXACT.multiply(a, d), _EXACT.multiply(b, c)
    except (Inexact, Overflow):
        f = Fraction(num) / Fraction(den)
        top, bottom = Decimal(f.numerator), Decimal(f.denominator)
    return context.divide(top, bottom)


def _sqrt_ratio(num: Exact, den: Exact) -> Decimal:
    return _OUT.plus(_WIDE.sqrt(_divide(num, den, _WIDE)))


# ---------------------------------------------------------------------------------------- the statistics

def share(numerator: int, base: int) -> Decimal | None:
    """``numerator`` of ``base`` as a percentage (0–100); ``None`` when the base is 0."""
    if base <= 0:
        return None
    return _OUT.divide(Decimal(numerator * 100), Decimal(base))  # integers: exact operands, one rounding


def mean(values: Iterable[Any]) -> Decimal | None:
    xs = numbers(values)
    if not xs:
        return None
    return _divide(_sum(xs), len(xs))


def median(values: Iterable[Any]) -> Decimal | None:
    """The middle value; for an even count the mean of the two middle values."""
    xs = sorted(numbers(values))
    if not xs:
        return None
    middle = len(xs) // 2
    if len(xs) % 2:
        return _OUT.plus(xs[middle])
    return _divide(_sum([xs[middle - 1], xs[middle]]), 2)


def _variance_parts(xs: Sequence[Decimal]) -> Exact:
    """n·Σx² − (Σx)² (exact; ≥ 0)."""
    n = len(xs)
    return _lin(Decimal(n), _sum_products(xs, xs), _sum(xs), _sum(xs))


def stdev(values: Iterable[Any]) -> Decimal | None:
    """Sample standard deviation (divisor n − 1), as SPSS and the seed report's Table 16; ``None`` below 2 values."""
    xs = numbers(values)
    n = len(xs)
    if n < 2:
        return None
    # s² = (n·Σx² − (Σx)²) / (n·(n − 1)): exact numerator, one rounding for the quotient, one for the root
    return _sqrt_ratio(_variance_parts(xs), Decimal(n * (n - 1)))


def pstdev(values: Iterable[Any]) -> Decimal | None:
    """Population standard deviation (divisor n); ``None`` on empty input."""
    xs = numbers(values)
    n = len(xs)
    if n < 1:
        return None
    return _sqrt_ratio(_variance_parts(xs), Decimal(n * n))


def minimum(values: Iterable[Any]) -> Decimal | None:
    xs = numbers(values)
    return _OUT.plus(min(xs)) if xs else None


def maximum(values: Iterable[Any]) -> Decimal | None:
    xs = numbers(values)
    return _OUT.plus(max(xs)) if xs else None


def mode(values: Iterable[Hashable]) -> tuple[Any, ...] | None:
    """Every most frequent value, sorted (ties are all returned); ``None`` on empty input.

    Works on numbers (``5`` and ``Decimal("5.0")`` are the same value; the result holds the first input of each
    value, so integers stay integers) and on codes (strings). ``None`` entries are skipped.
    """
    first: dict[Any, Any] = {}  # normalised value → the first input that had it (5 stays an int)
    counts: Counter[Any] = Counter()
    for value in values:
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, (int, float, Decimal)):
            number = to_decimal(value)
            if number is None:
                continue
            key: Any = (0, number)  # Decimal hashes by value: 5 == Decimal("5.0")
        else:
            key = (1, value)
        counts[key] += 1
        first.setdefault(key, value)
    if not counts:
        return None
    top = max(counts.values())
    # numbers before codes, each group in its natural order
    return tuple(first[k] for k in sorted((k for k, c in counts.items() if c == top),
                                         key=lambda k: (k[0], k[1]) if k[0] == 0 else (k[0], str(k[1]))))


def single(value: Any) -> Decimal | None:
    """One number as ``mean``/``total`` of it would return it (rounded to 28 digits); ``None`` if no number."""
    number = to_decimal(value)
    return None if number is None else _OUT.plus(number)


def total(values: Iterable[Any]) -> Decimal | None:
    """The exact sum (rounded only past 28 significant digits); ``None`` when there is no number."""
    xs = numbers(values)
    if not xs:
        return None
    return _divide(_sum(xs), 1)


def _paired(xs: Sequence[Any], ys: Sequence[Any]) -> tuple[list[Decimal], list[Decimal]]:
    if len(xs) != len(ys):
        raise ValueError("xs and ys must be the same length (one pair per unit)")
    px, py = [], []
    for x, y in zip(xs, ys):
        dx, dy = to_decimal(x), to_decimal(y)
        if dx is not None and dy is not None:  # pairwise deletion, as SPSS does for a correlation
            px.append(dx)
            py.append(dy)
    return px, py


def _covariance_parts(xs: list[Decimal], ys: list[Decimal]) -> tuple[Exact, Exact, Exact]:
    n = Decimal(len(xs))
    sx, sy = _sum(xs), _sum(ys)
    sxy = _lin(n, _sum_products(xs, ys), sx, sy)
    sxx = _lin(n, _sum_products(xs, xs), sx, sx)
    syy = _lin(n, _sum_products(ys, ys), sy, sy)
    return sxy, sxx, syy


def pearson_r(xs: Sequence[Any], ys: Sequence[Any]) -> Decimal | None:
    """Pearson's r over the pairs where both values are numbers; ``None`` for fewer than 2 pairs or no variation."""
    px, py = _paired(xs, ys)
    if len(px) < 2:
        return None
    sxy, sxx, syy = _covariance_parts(px, py)
    if not sxx or not syy:
        return None
    root = _WIDE.sqrt(_divide(_mul(sxx, syy), 1, _WIDE))
    return _OUT.plus(_WIDE.divide(_divide(sxy, 1, _WIDE), root)) if root else None


def r_squared(xs: Sequence[Any], ys: Sequence[Any]) -> Decimal | None:
    """Coefficient of determination of the simple linear regression of y on x (= r², computed without a root)."""
    px, py = _paired(xs, ys)
    if len(px) < 2:
        return None
    sxy, sxx, syy = _covariance_parts(px, py)
    if not sxx or not syy:
        return None
    return _divide(_mul(sxy, sxy), _mul(sxx, syy))


def linear_fit(xs: Sequence[Any], ys: Sequence[Any]) -> tuple[Decimal, Decimal] | None:
    """(slope, intercept) of the least-squares line y = a + b·x; ``None`` for fewer than 2 pairs or constant x."""
    px, py = _paired(xs, ys)
    if len(px) < 2:
        return None
    sxy, sxx, _ = _covariance_parts(px, py)
    if not sxx:
        return None
    n = Decimal(len(px))
    # intercept = (Σy·Sxx − Sxy·Σx) / (n·Sxx), all exact before the one division
    return _divide(sxy, sxx), _divide(_lin(_sum(py), sxx, sxy, _sum(px)), _mul(n, sxx))


def pairs_count(xs: Sequence[Any], ys: Sequence[Any]) -> int:
    return len(_paired(xs, ys)[0])


@dataclass(frozen=True)
class Crosstab:
    """Counts of (row code, column code) pairs. ``counts[i][j]`` is the cell of ``rows[i]`` × ``cols[j]``."""

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    @property
    def n(self) -> int:
        return sum(sum(row) for row in self.counts)

    def cell(self, row: str, col: str) -> int:
        return self.counts[self.rows.index(row)][self.cols.index(col)]

    def row_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.counts)

    def col_totals(self) -> tuple[int, ...]:
        return tuple(sum(row[j] for row in self.counts) for j in range(len(self.cols)))


def crosstab(pairs: Iterable[tuple[Any, Any]], rows: Sequence[str], cols: Sequence[str]) -> Crosstab:
    """Count the pairs into a table with every listed row and column (zeros included, in the given order).

    Pairs with a ``None`` on either side are skipped; codes that are not listed get their own row or column after
    the listed ones (sorted), so nothing is silently lost. Empty input gives a table of zeros.
    """
    counter: Counter[tuple[Any, Any]] = Counter()
    for row, col in pairs:
        if row is not None and col is not None:
            counter[(row, col)] += 1
    extra_rows = sorted({r for r, _ in counter if r not in rows}, key=str)
    extra_cols = sorted({c for _, c in counter if c not in cols}, key=str)
    all_rows = tuple(rows) + tuple(extra_rows)
    all_cols = tuple(cols) + tuple(extra_cols)
    counts = tuple(tuple(counter.get((r, c), 0) for c in all_cols) for r in all_rows)
    return Crosstab(all_rows, all_cols, counts)


def rounded(value: Decimal | int | float | None, places: int = 1) -> Decimal | None:
    """Round half up to ``places`` decimals, the way the seed report prints its tables (3.25 → 3.3)."""
    number = to_decimal(value)
    if number is None:
        return None
    return number.quantize(Decimal(1).scaleb(-places), context=_ROUND_UP)
