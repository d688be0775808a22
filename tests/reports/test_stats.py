"""``reports.stats`` against values worked out by hand."""

from __future__ import annotations

import math
import random
import statistics
from decimal import Decimal as D
from decimal import localcontext

import pytest

from reports import stats


def close(value: D | None, expected: str | D, places: int = 20) -> bool:
    assert value is not None
    return abs(value - D(expected)) < D(10) ** -places


def root(number: int | D) -> D:
    with localcontext() as ctx:
        ctx.prec = 60
        return D(number).sqrt()


# --------------------------------------------------------------------------------------------- share, mean

def test_share_is_a_percentage_of_the_base():
    assert stats.share(6, 42) == D(600) / D(42)  # 14.2857…
    assert stats.share(1, 4) == D(25)
    assert stats.share(0, 3) == D(0)


def test_share_of_an_empty_base_is_none():
    assert stats.share(0, 0) is None


def test_mean_by_hand():
    assert stats.mean([1, 2, 3, 4]) == D("2.5")
    assert stats.mean([D("100.50"), D("0.25")]) == D("50.375")
    assert close(stats.mean([1, 1, 2]), "1.3333333333333333333333333")


def test_float_inputs_are_read_at_their_printed_digits():
    # 0.1 + 0.2 in binary is 0.30000000000000004; the written numbers mean 0.3
    assert stats.mean([0.1, 0.2]) == D("0.15")
    assert stats.total([0.1, 0.2]) == D("0.3")


def test_mixed_int_decimal_float():
    assert stats.mean([1, D("2.5"), 3.5]) == D("2.333333333333333333333333333")


def test_none_bool_nan_and_text_are_skipped():
    assert stats.mean([None, 2, True, "x", D("NaN"), float("nan"), float("inf"), 4]) == D(3)


def test_empty_input_gives_none_everywhere():
    for function in (stats.mean, stats.median, stats.stdev, stats.pstdev, stats.minimum, stats.maximum,
                     stats.total):
        assert function([]) is None
        assert function([None, "hard_to_say"]) is None
    assert stats.mode([]) is None
    assert stats.mode([None, None]) is None  # (mode also counts codes, so "hard_to_say" would be a mode)
    assert stats.pearson_r([], []) is None
    assert stats.r_squared([], []) is None
    assert stats.linear_fit([], []) is None


def test_exact_sum_of_many_amounts_does_not_drift():
    amounts = [D("0.10")] * 10_000
    assert stats.total(amounts) == D("1000")
    assert stats.mean(amounts) == D("0.1")


def test_extreme_magnitudes_fall_back_to_fractions():
    assert stats.mean([1e-300, 1]) == D("0.5000000000000000000000000000")  # 1/2 + 5e-301, rounded at 28 digits
    assert stats.total([D("1E+500"), D("1E-500")]) == D("1.000000000000000000000000000E+500")


# ------------------------------------------------------------------------------------------------- median

def test_median_odd_and_even():
    assert stats.median([3, 1, 2]) == D(2)
    assert stats.median([4, 1, 3, 2]) == D("2.5")
    assert stats.median([7]) == D(7)
    assert stats.median([D("1.10"), D("1.20")]) == D("1.15")


# --------------------------------------------------------------------------------------- standard deviation

def test_sample_sd_by_hand():
    # 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32; sample variance 32/7, population 32/8 = 4
    data = [2, 4, 4, 4, 5, 5, 7, 9]
    assert close(stats.stdev(data), root(D(32) / D(7)), 26)
    assert stats.pstdev(data) == D(2)


def test_sd_needs_two_values():
    assert stats.stdev([5]) is None
    assert stats.pstdev([5]) == D(0)
    assert stats.stdev([5, 5]) == D(0)


def test_sd_is_stable_for_large_offsets():
    # the textbook Σx² − (Σx)²/n formula fails in floating point here; exact arithmetic does not
    data = [D(10) ** 12 + d for d in (4, 7, 13, 16)]
    assert stats.stdev(data) == stats.stdev([4, 7, 13, 16])
    assert close(stats.stdev([4, 7, 13, 16]), root(30), 26)  # deviations −6, −3, 3, 6: 90/3 = 30


def test_sd_matches_the_standard_library_on_random_data():
    rng = random.Random(5)
    for _ in range(50):
        data = [rng.randint(0, 20) for _ in range(rng.randint(2, 40))]
        assert math.isclose(float(stats.stdev(data)), statistics.stdev(data), rel_tol=1e-12)
        assert math.isclose(float(stats.pstdev(data)), statistics.pstdev(data), rel_tol=1e-12, abs_tol=1e-12)


# ---------------------------------------------------------------------------------------------- mode, range

def test_mode_single_and_ties_sorted():
    assert stats.mode([5, 5, 6]) == (5,)
    assert stats.mode([6, 5, 6, 5, 1]) == (5, 6)
    assert stats.mode(["b", "a", "b", "a"]) == ("a", "b")
    assert stats.mode([3, 2, 1]) == (1, 2, 3)  # every value once: all are modes


def test_mode_treats_equal_numbers_as_one_value_and_keeps_ints():
    assert stats.mode([5, D("5.0"), 6]) == (5,)
    assert type(stats.mode([5, D("5.0"), 6])[0]) is int


def test_min_max():
    assert stats.minimum([3, D("1.5"), 8]) == D("1.5")
    assert stats.maximum([3, D("1.5"), 8]) == D(8)


# ------------------------------------------------------------------------------------------- correlation

def test_pearson_and_r_squared_by_hand():
    # x = 1, 2, 3; y = 1, 2, 4: Sxy = 3, Sxx = 2, Syy = 14/3 (deviation sums); r² = 9 / (2·14/3) = 27/28
    assert stats.r_squared([1, 2, 3], [1, 2, 4]) == D(27) / D(28)
    assert close(stats.pearson_r([1, 2, 3], [1, 2, 4]), "0.98198050606196571569743868")
    slope, intercept = stats.linear_fit([1, 2, 3], [1, 2, 4])
    assert slope == D("1.5")
    assert close(intercept, "-0.66666666666666666666666667")


def test_negative_correlation_keeps_its_sign():
    assert stats.pearson_r([1, 2, 3], [3, 2, 1]) == D(-1)
    assert stats.r_squared([1, 2, 3], [3, 2, 1]) == D(1)


def test_correlation_drops_incomplete_pairs():
    assert stats.r_squared([1, 2, None, 3, "hard_to_say"], [1, 2, 9, 4, 5]) == D(27) / D(28)
    assert stats.pairs_count([1, 2, None, 3], [1, None, 9, 4]) == 2


def test_correlation_undefined_without_variation_or_pairs():
    assert stats.pearson_r([1], [2]) is None
    assert stats.r_squared([1, 1, 1], [1, 2, 3]) is None
    assert stats.r_squared([1, 2, 3], [5, 5, 5]) is None
    assert stats.linear_fit([2, 2], [1, 3]) is None


def test_correlation_lengths_must_match():
    with pytest.raises(ValueError):
        stats.pearson_r([1, 2], [1])


def test_correlation_matches_the_standard_library():
    rng = random.Random(11)
    for _ in range(30):
        xs = [rng.randint(0, 10) for _ in range(25)]
        ys = [rng.randint(0, 10) for _ in range(25)]
        r = stats.pearson_r(xs, ys)
        if r is None:
            continue
        assert math.isclose(float(r), statistics.correlation(xs, ys), rel_tol=1e-9)
        assert math.isclose(float(stats.r_squared(xs, ys)), statistics.correlation(xs, ys) ** 2, rel_tol=1e-9)


# ------------------------------------------------------------------------------------------------ crosstab

def test_crosstab_keeps_zero_cells_and_order():
    table = stats.crosstab([("yes", "no"), ("yes", "no"), ("none", "yes")], ["yes", "some", "none"],
                           ["yes", "no"])
    assert table.rows == ("yes", "some", "none")
    assert table.counts == ((0, 2), (0, 0), (1, 0))
    assert table.row_totals() == (2, 0, 1)
    assert table.col_totals() == (1, 2)
    assert table.n == 3
    assert table.cell("yes", "no") == 2


def test_crosstab_of_nothing_is_zeros_and_unknown_codes_are_kept():
    assert stats.crosstab([], ["a"], ["x", "y"]).counts == ((0, 0),)
    table = stats.crosstab([("a", "x"), ("zz", "x"), (None, "x")], ["a"], ["x"])
    assert table.rows == ("a", "zz") and table.n == 2


# ------------------------------------------------------------------------------------------------ rounding

def test_rounded_half_up_like_the_seed_report():
    assert stats.rounded(D("3.25")) == D("3.3")
    assert stats.rounded(D("3.35")) == D("3.4")
    assert stats.rounded(D("2.449")) == D("2.4")
    assert stats.rounded(None) is None
    assert stats.rounded(D("0.0036633"), 4) == D("0.0037")


def test_order_never_changes_a_result():
    rng = random.Random(3)
    data = [D(rng.randint(0, 10**6)) / 100 for _ in range(200)]
    shuffled = data[:]
    rng.shuffle(shuffled)
    for function in (stats.mean, stats.median, stats.stdev, stats.total):
        assert function(data) == function(shuffled)
