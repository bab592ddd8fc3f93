"""Statistical checks of the whole Monte Carlo pipeline against results with known answers.

Tolerance: every estimate must lie within 4 standard errors of the exact value (a false alarm
about once in 16,000 comparisons for a normal estimate; the seeds are fixed, so a test either
always passes or always fails). The standard error is the one the run reports, or the sample
one where the test computes the estimate itself. The small forms run in CI in seconds; the
large forms (``@pytest.mark.slow``, run with ``--run-slow``) resolve the third decimal.
"""

import math

import numpy as np
import pytest

from simulate import Election, Rules
from simulate.metrics import binomial_se
from simulate.montecarlo.models import ModelSpec
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation

Z = 4.0


def seat_bias(r: float, lists: int) -> np.ndarray:
    """SB_j = (r − ½)(Σ_{k=j}^{ℓ} 1/k − 1): the expected seat excess of the j-th largest
    of ℓ lists under a stationary divisor method with parameter r, shares uniform on the simplex,
    in the limit of a large house. Schuster, Pukelsheim, Drton & Draper (2003), Electoral
    Studies 22: 651–676 (as given in reference/methods.md, "Seat bias")."""
    return np.array(
        [(r - 0.5) * (sum(1 / k for k in range(j, lists + 1)) - 1) for j in range(1, lists + 1)]
    )


def seat_excess(sim, r: int) -> np.ndarray:
    """(N, ℓ) x_(j) − h·w_(j) per draw, lists ranked by votes (largest first)."""
    votes = sim.draws.votes.astype(np.float64)
    order = np.argsort(-votes, axis=1)
    share = np.take_along_axis(votes, order, 1) / votes.sum(1, keepdims=True)
    seats = np.take_along_axis(sim.draws.seats[:, r].astype(np.float64), order, 1)
    return seats - sim.rules[r].seats * share


def check_seat_bias(draws: int, min_share: float = 0.0, lists: int = 4, house: int = 5000):
    # h ≥ 5000 matches the limit to three decimals (methods.md); allow 0.001 for that on top
    # of 4 SE. 10^8 votes keep the rounding of shares to votes far below that.
    election = Election.from_votes({f"L{i}": 10**8 // lists for i in range(lists)})
    rule_sets = [
        ("d'Hondt", Rules(seats=house, method="dhondt")),
        ("Hare", Rules(seats=house, method="hare")),
        ("Sainte-Laguë", Rules(seats=house, method="sainte-lague")),
    ]
    spec = MonteCarloSpec(
        draws=draws,
        seed=2003,
        keep_draws=True,
        model=ModelSpec(kind="uniform", min_share=min_share),
    )
    sim = run_montecarlo(election, rule_sets, spec)
    # With shares uniform on {w ≥ t} the bias shrinks by (1 − ℓt) (Schwingenschlögl &
    # Pukelsheim 2006, Social Choice and Welfare 27: 189–193; methods.md).
    shrink = 1 - lists * min_share
    for r, param in ((0, 1.0), (1, 0.5), (2, 0.5)):  # Hare's limit is zero, like r = ½
        excess = seat_excess(sim, r)
        se = excess.std(0) / math.sqrt(draws)
        expected = shrink * seat_bias(param, lists)
        assert (np.abs(excess.mean(0) - expected) <= Z * se + 0.001).all(), (
            rule_sets[r][0],
            excess.mean(0),
            expected,
            se,
        )


def test_seat_bias_of_dhondt_and_none_for_hare_small():
    check_seat_bias(200_000)


def test_seat_bias_shrinks_with_a_threshold_small():
    check_seat_bias(200_000, min_share=0.05)


@pytest.mark.slow
def test_seat_bias_of_dhondt_and_none_for_hare_large():
    check_seat_bias(2_000_000)
    check_seat_bias(1_000_000, min_share=0.05)


def test_seat_bias_values_from_the_reference():
    # d'Hondt, ℓ = 4: +0.5417, +0.0417, −0.2083, −0.3750 (methods.md).
    assert np.allclose(seat_bias(1.0, 4), [0.5417, 0.0417, -0.2083, -0.3750], atol=5e-5)


# ---------------------------------------------------------------------------------------------
# probabilities with their standard errors against binomial cases with a known answer


def two_lists(draws: int, rules: Rules, threshold=None, seed: int = 11):
    """Two lists with shares uniform on [0, 1] (Dirichlet(1, 1)); 10^6 votes make the
    rounding of shares to votes (≤ 1e-6) negligible."""
    election = Election.from_votes({"A": 500_000, "B": 500_000})
    spec = MonteCarloSpec(
        draws=draws, seed=seed, model=ModelSpec(kind="uniform"), threshold=threshold
    )
    return run_montecarlo(election, [("rules", rules)], spec)


def assert_binomial(p_hat: float, p: float, se_reported: float, n: int):
    """Within 4 SE of the exact p, and the reported SE is the binomial one."""
    assert se_reported == pytest.approx(math.sqrt(p_hat * (1 - p_hat) / n), abs=1e-6)  # 6 dp
    assert abs(p_hat - p) <= Z * math.sqrt(p * (1 - p) / n)


@pytest.mark.parametrize(
    "threshold, p",
    [
        (None, 0.7),  # P(w ≥ 30%)
        (ThresholdVariation.uniform(0.2, 0.4), 0.7),  # 1 − E[t]
        (ThresholdVariation.discrete([0.1, 0.5], [1, 3]), 0.25 * 0.9 + 0.75 * 0.5),
    ],
)
def test_probability_of_passing_a_threshold(threshold, p):
    n = 40_000
    sim = two_lists(n, Rules(seats=101, method="hare", threshold="30%"), threshold)
    s = sim.summary()["rule_sets"][0]["lists"][0]["p_pass_threshold"]
    assert_binomial(sim.p_pass(0)[0], p, s["se"], n)


def test_probability_of_a_majority_and_of_two_thirds():
    # Hare, two lists, 101 seats: A's seats are round(101·w_A), so by symmetry one list or the
    # other holds 51: P(A has a majority) = 1/2. The larger list holds two thirds (68 seats)
    # when 101·max(w) ≥ 67.5: P = 2·(1 − 67.5/101).
    n = 40_000
    sim = two_lists(n, Rules(seats=101, method="hare"))
    summary = sim.summary()["rule_sets"][0]
    assert_binomial(sim.p_list_majority(0)[0], 0.5, summary["lists"][0]["p_majority"]["se"], n)
    assert sim.p_majority(0) == 1.0
    p = 2 * (1 - 67.5 / 101)
    assert_binomial(sim.p_two_thirds(0), p, summary["two_thirds"]["se"], n)


def test_binomial_standard_error_is_calibrated():
    # Over 40 independent seeds, P(A passes 30%) = 0.7: the z-scores (p̂ − p)/SE should have
    # mean ≈ 0 and sd ≈ 1 (4 SE of a sample mean, and of a sample sd, of 40 values).
    n, p, z = 4000, 0.7, []
    for seed in range(40):
        sim = two_lists(n, Rules(seats=10, method="hare", threshold="30%"), seed=seed)
        p_hat = sim.p_pass(0)[0]
        z.append((p_hat - p) / float(binomial_se(p_hat, n)))
    z = np.array(z)
    assert abs(z.mean()) <= Z / math.sqrt(len(z))
    assert abs(z.std() - 1) <= Z / math.sqrt(2 * len(z))


def test_batch_means_agree_with_the_iid_standard_error():
    # Draws are independent, so batch means over 50 blocks estimate the same SE as
    # sqrt(var/N), with a relative error of about 1/sqrt(2·49) = 0.10; allow 4 of those.
    election = Election.from_votes({"A": 600_000, "B": 300_000, "C": 100_000})
    spec = MonteCarloSpec(
        draws=50 * 1000,
        seed=4,
        block_size=1000,
        keep_draws=True,
        model=ModelSpec(concentration=500),
    )
    sim = run_montecarlo(election, [("hare", Rules(seats=50, method="hare"))], spec)
    assert "batch means over 50" in sim.summary()["standard_errors"]["means"]
    iid = sim.draws.seats[:, 0].std(0) / math.sqrt(sim.n)
    assert np.all(np.abs(sim.mean_seats_se(0) / iid - 1) <= Z * 0.10)
