"""Monte Carlo core: reproducibility, zero noise, vote models, thresholds, outputs.

Issue 4 ("Monte Carlo: vary vote shares and the threshold…") lists the checks that must exist;
each test below names the one it covers. Statistical checks against theory are in
test_montecarlo_stats.py.
"""

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from simulate import Election, Rules, allocate
from simulate.errors import InfeasibleError, InputError
from simulate.montecarlo.models import (
    Dirichlet,
    LogitNormal,
    ModelSpec,
    Transfer,
    Uniform,
    counts_from_weights,
    vote_categories,
)
from simulate.montecarlo.models.logit_normal import _logit_normal_params
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation
from simulate.report.atomic import write_bytes, write_json

ROOT = Path(__file__).resolve().parents[2]
KG = ROOT / "seeds" / "kyrgyzstan-2020.toml"


@pytest.fixture(scope="module")
def kg(kg2020):
    return kg2020


def kg_rule_sets():
    """The rules in force in 2020 (electoral law Art. 64; reference/elections.md) and
    alternatives of the scenario file: other methods, other bases, other thresholds, no cap."""
    force = Rules(
        seats=120, method="hare", threshold="7%", threshold_base="participants", max_seats=65
    )
    return [
        ("in force", force),
        ("d'Hondt", force.replace(method="dhondt")),
        ("Sainte-Laguë", force.replace(method="sainte-lague")),
        ("valid", force.replace(threshold_base="valid")),
        ("party votes", force.replace(threshold_base="party-votes")),
        ("5%", force.replace(threshold=Fraction(5, 100))),
        ("no cap", force.replace(max_seats=None)),
    ]


def small_election():
    """Small counts make exact ties common (engine-notes.md, "Checks that caught real bugs"),
    so the lot path runs in these tests."""
    return Election.from_votes(
        {"A": 400, "B": 300, "C": 150, "D": 90, "E": 60}, participants=1100, against_all=50
    )


def small_rule_sets():
    hare = Rules(
        seats=15, method="hare", threshold="5%", threshold_base="participants", max_seats=8
    )
    return [("hare", hare), ("dhondt", hare.replace(method="dhondt", threshold_base="party-votes"))]


def outcome(sim):
    """Everything a run reports except the settings that must not change it."""
    summary = sim.summary()
    for key in ("chunk_size", "workers"):
        summary["settings"].pop(key)
    d = sim.draws
    return json.dumps(summary, sort_keys=True), [d.votes, d.seats, d.decided_by_lot, d.thresholds]


# ---------------------------------------------------------------------------------------------
# same seed, same numbers (issue 4: chunk sizes 1, 997, 100,000; 1 and 2 workers)


@pytest.mark.parametrize(
    "variation",
    [
        None,
        ThresholdVariation.uniform("3%", "9%"),
        ThresholdVariation.discrete([0.04, 0.07], [1, 3]),
    ],
)
def test_same_seed_same_numbers_for_any_chunk_size_and_workers(variation):
    spec = MonteCarloSpec(
        draws=3000,
        seed=3,
        block_size=400,
        keep_draws=True,
        model=ModelSpec(concentration=300),
        threshold=variation,
    )
    runs = {
        (chunk, workers): run_montecarlo(
            small_election(), small_rule_sets(), spec.replace(chunk_size=chunk, workers=workers)
        )
        for chunk, workers in [
            (None, 1),
            (1, 1),
            (997, 1),
            (100_000, 1),
            (None, 2),
            (997, 2),
            (1200, 1),
            (600, 1),
        ]
    }
    # (chunks of whole blocks have their blocks drawn side by side; 600 = 1.5 blocks mixes
    # windows drawn so with windows copied across blocks)
    ref_summary, ref_draws = outcome(runs[(None, 1)])
    assert runs[(None, 1)].tally.lots.sum() > 0  # ties happened and were decided by lot
    for key, sim in runs.items():
        summary, draws = outcome(sim)
        assert summary == ref_summary, key
        for a, b in zip(draws, ref_draws):
            assert (a is None and b is None) or np.array_equal(a, b), key


def test_same_seed_same_numbers_on_the_kyrgyz_seed(kg):
    spec = MonteCarloSpec(draws=2500, seed=20201004, block_size=1000, keep_draws=True)
    a = run_montecarlo(kg, kg_rule_sets()[:2], spec)
    b = run_montecarlo(kg, kg_rule_sets()[:2], spec.replace(chunk_size=997, workers=2))
    assert outcome(a)[0] == outcome(b)[0]
    assert np.array_equal(a.draws.seats, b.draws.seats)


def test_an_automatic_chunk_is_whole_blocks_sized_by_the_lists_taking_part():
    from types import SimpleNamespace

    from simulate.montecarlo.blocks import AUTO_CELLS, auto_chunk

    plan = SimpleNamespace(block_size=8192)
    # 2^18 cells: 16 lists → 16,384 draws (2 blocks); 6 → 43,690 → 5 blocks; 1 → capped at
    # 2^17 draws (16 blocks); more lists than cells per block → still one block
    assert AUTO_CELLS == 2**18
    assert [auto_chunk(plan, k) for k in (16, 6, 1, 0, 64)] == [
        16_384,
        40_960,
        131_072,
        131_072,
        8192,
    ]
    assert auto_chunk(SimpleNamespace(block_size=1000), 16) == 16_000
    assert auto_chunk(SimpleNamespace(block_size=10**6), 16) == 10**6


def test_fewer_draws_are_a_prefix_and_another_seed_differs():
    spec = MonteCarloSpec(draws=1500, seed=5, block_size=1000, keep_draws=True)
    short = run_montecarlo(small_election(), small_rule_sets(), spec)
    long = run_montecarlo(small_election(), small_rule_sets(), spec.replace(draws=2600))
    assert np.array_equal(short.draws.seats, long.draws.seats[:1500])
    other = run_montecarlo(small_election(), small_rule_sets(), spec.replace(seed=6))
    assert not np.array_equal(short.draws.votes, other.draws.votes)


def test_a_run_does_not_touch_global_random_state():
    np.random.seed(1)
    before = np.random.get_state()[1].copy()
    run_montecarlo(small_election(), small_rule_sets(), MonteCarloSpec(draws=50, seed=1))
    assert np.array_equal(np.random.get_state()[1], before)


# ---------------------------------------------------------------------------------------------
# zero noise reproduces simulate.allocation.allocate in every draw (issue 4)


@pytest.mark.parametrize(
    "model",
    [
        ModelSpec(kind="dirichlet", concentration=math.inf),
        ModelSpec(kind="dirichlet", concentration=1e15),
        ModelSpec(kind="logit-normal", sd=0.0),
        ModelSpec(kind="transfer", transfer_from=("Birimdik",), transfer_share=(0, 0)),
    ],
    ids=["concentration-inf", "concentration-1e15", "sd-0", "transfer-0"],
)
def test_zero_noise_reproduces_the_deterministic_allocation(kg, model):
    rule_sets = kg_rule_sets()
    sim = run_montecarlo(
        kg, rule_sets, MonteCarloSpec(draws=300, seed=1, model=model, keep_draws=True)
    )
    cats = vote_categories(kg, "participants")
    assert (sim.draws.votes == np.array(cats.counts)).all()
    for r, (_, rules) in enumerate(rule_sets):
        expected = allocate(kg, rules).seats
        assert (sim.draws.seats[:, r] == expected).all(), rule_sets[r][0]
        assert sim.reported_seats[r] == tuple(expected)
    assert sim.changes_hist(0)[0] == sim.n  # no seat changes hands against the baseline
    assert sim.tally.lots.sum() == 0


def test_reported_seats_and_baseline_are_the_2020_announced_seats(kg):
    # Announced seats 46 / 45 / 16 / 13 (24.kg, cited in the seed file).
    sim = run_montecarlo(kg, kg_rule_sets()[:1], MonteCarloSpec(draws=10, seed=1))
    assert sim.baseline[:4] == (46, 45, 16, 13)


def test_a_list_exactly_at_a_drawn_threshold_passes():
    # 100 of 1,000 votes is exactly 10%: passes under ">=" (methods.md, "Thresholds"), fails
    # under ">"; a float product 0.1 * 1000 is not trusted to decide it.
    e = Election.from_votes({"A": 600, "B": 300, "C": 100})
    rules = Rules(seats=10, method="hare")
    spec = MonteCarloSpec(
        draws=20,
        seed=1,
        keep_draws=True,
        model=ModelSpec(concentration=math.inf),
        threshold=ThresholdVariation.discrete(["10%"]),
    )
    sim = run_montecarlo(e, [("ge", rules), ("gt", rules.replace(threshold_comparison=">"))], spec)
    assert sim.p_pass(0)[2] == 1.0 and sim.p_pass(1)[2] == 0.0


# ---------------------------------------------------------------------------------------------
# vote models


def test_categories_follow_the_nested_bases(kg):
    cats = vote_categories(kg, "participants")
    assert cats.names[16:] == ("against all", "invalid / unaccounted")
    assert cats.counts[16:] == (35714, 31823)  # seed: against_all; participants − valid
    assert cats.rows == {"party-votes": 16, "valid": 17, "participants": 18}
    assert cats.total == kg.participants
    assert vote_categories(kg, "party-votes").names == kg.names


def test_categories_refuse_counts_that_do_not_nest():
    e = Election.from_votes({"A": 50, "B": 50}, valid=100, participants=120, against_all=10)
    with pytest.raises(InputError, match="valid .* smaller than the lists' votes plus"):
        vote_categories(e, "participants")


def test_counts_from_weights_sum_exactly_and_stay_within_a_vote():
    rng = np.random.default_rng(0)
    w = rng.standard_gamma(0.3, size=(7, 5000))
    share = w / w.sum(0)
    out = counts_from_weights(w.copy(), 1_234_567)
    assert (out.sum(0) == 1_234_567).all() and out.min() >= 0
    assert np.abs(out - share * 1_234_567).max() <= 1.0


@pytest.mark.parametrize(
    "model",
    [
        Dirichlet((500, 300, 200), 50.0),
        LogitNormal((500, 300, 200), (2.0, 1.0, 0.5)),
        Transfer((500, 300, 200), (0,), 0.0, 0.3),
        Uniform((500, 300, 200), 0.1),
    ],
)
def test_every_model_draws_integer_counts_holding_the_total(model):
    d = model.draw(np.random.default_rng(1), 4000)
    assert d.dtype == np.int64 and d.shape == (3, 4000)
    assert (d.sum(0) == 1000).all() and d.min() >= 0


def test_dirichlet_varies_as_its_concentration_says():
    # Var of a Dirichlet component: p(1 − p)/(c + 1); a list at 24.5% with c = 2000 varies by
    # about ±1 point (issue 4). Tolerance: 4 standard errors of a sample sd, sd/sqrt(2N).
    m = Dirichlet((245_000, 755_000), 2000.0)
    x = m.draw(np.random.default_rng(2), 40_000)[0] / 1_000_000
    sd = math.sqrt(0.245 * 0.755 / 2001)
    assert abs(x.std() - sd) < 4 * sd / math.sqrt(2 * 40_000)
    assert abs(x.mean() - 0.245) < 4 * sd / math.sqrt(40_000)


def test_logit_normal_parameters_give_the_stated_mean_and_sd():
    # Checked by a different integration than the solver's (Gauss–Hermite below τ = 1, a step
    # plus Simpson's rule above): a fine grid over ±12 standard deviations of Z (a sample is
    # too noisy for p = 0.2%, sd = 1 point, whose distribution is very skewed). The last two
    # are near the largest sd accepted (0.9·sqrt(p(1 − p))), where a goes far below logit p
    # (found by a review: the solver's old bracket [−60, 60] stopped a at −60 for p = 1e-5,
    # sd 0.28 points, and the mean came out 12% high).
    p = np.array([0.002, 0.05, 0.245, 0.7, 1e-5, 0.3])
    sd = np.array([0.01, 0.01, 0.02, 0.001, 0.002818, 0.89 * math.sqrt(0.3 * 0.7)])
    a, tau = _logit_normal_params(p, sd)
    assert a[4] < -60 and tau[4] > 10
    z = np.linspace(-12, 12, 200_001)
    w = np.exp(-z * z / 2)
    w /= w.sum()
    q = 1 / (1 + np.exp(-(a[:, None] + tau[:, None] * z)))
    mean = (q * w).sum(1)
    assert np.allclose(mean, p, rtol=1e-9)
    assert np.allclose(np.sqrt((q * q * w).sum(1) - mean**2), sd, rtol=1e-6)


def test_transfer_moves_exactly_the_stated_share():
    m = Transfer((1000, 500, 300, 200), sources=(0,), low=0.1, high=0.1, targets=(1, 3))
    d = m.draw(np.random.default_rng(0), 5)
    # 10% of 1,000 = 100 votes to B and D in proportion 500 : 200 → 71 and 29 (rounded).
    assert (d.T == [900, 571, 300, 229]).all()


def test_uniform_min_share_keeps_every_share_above_it():
    d = Uniform((1, 1, 1, 10**6 - 3), min_share=0.05).draw(np.random.default_rng(0), 2000)
    assert d.min() >= 0.05 * 10**6 - 1


# ---------------------------------------------------------------------------------------------
# summaries, outputs


def test_summary_json_and_draws_npz_are_written(tmp_path, kg):
    spec = MonteCarloSpec(
        draws=1200,
        seed=9,
        block_size=50,
        keep_draws=True,
        threshold=ThresholdVariation.uniform(0.05, 0.09),
    )
    sim = run_montecarlo(kg, kg_rule_sets()[:2], spec)
    s = sim.summary()
    assert s["settings"]["seed"] == 9 and s["draws"] == 1200
    assert s["standard_errors"]["means"].startswith("batch means over 24 seeding blocks")
    first = s["rule_sets"][0]
    assert first["majority"]["seats"] == 61 and first["two_thirds"]["seats"] == 80
    assert sum(d["draws"] for d in first["seats_changing_hands"]["distribution"]) == 1200
    assert "difference_vs_first" in s["rule_sets"][1]["lists"][0]
    path = write_json(tmp_path / "out" / "mc.json", sim.summary())
    assert json.loads(path.read_text())["draws"] == 1200
    npz = np.load(write_bytes(tmp_path / "draws.npz", sim.draws_npz()))
    assert npz["seats"].shape == (1200, 2, 16) and npz["votes"].shape == (1200, 18)
    assert npz["thresholds"].min() >= 0.05 and list(npz["rule_sets"]) == ["in force", "d'Hondt"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_draws_are_not_kept_by_default_above_the_limit():
    spec = MonteCarloSpec(draws=300, seed=1, keep_draws_limit=100)
    sim = run_montecarlo(small_election(), small_rule_sets(), spec)
    assert sim.draws is None
    with pytest.raises(ValueError, match="did not keep"):
        sim.draws_npz()


def test_histograms_agree_with_the_kept_draws(kg):
    rule_sets = kg_rule_sets()[:2] + [
        ("9%", kg_rule_sets()[0][1].replace(threshold="9%", seats=100))
    ]
    sim = run_montecarlo(kg, rule_sets, MonteCarloSpec(draws=500, seed=2, keep_draws=True))
    seats, base = sim.draws.seats.astype(np.int64), np.array(sim.baseline)
    for r in range(3):
        s = seats[:, r]
        assert all(
            (sim.seat_hist(r)[i] == np.bincount(s[:, i], minlength=sim.rules[r].seats + 1)).all()
            for i in range(16)
        )
        assert (
            sim.tally.largest[r] == np.bincount(s.max(1), minlength=len(sim.tally.largest[r]))
        ).all()
        moved = np.abs(s - base).sum(1)
        assert (sim.changes_hist(r) == np.bincount(moved, minlength=len(sim.changes_hist(r)))).all()
        paired = np.abs(s - seats[:, 0]).sum(1)
        assert (
            sim.changes_hist(r, against="first")
            == np.bincount(paired, minlength=len(sim.changes_hist(r)))
        ).all()
    assert abs(sim.mean_seats(0).sum() - 120) < 1e-9
    assert abs(sim.mean_seats(2).sum() - 100) < 1e-9


@pytest.mark.parametrize("house", [1, 2, 3, 100, 101, 120, 5000])
def test_majority_and_two_thirds_match_the_metrics(house):
    # One definition of each (methods.md, metrics.py): more than half, at least two thirds.
    from simulate.metrics import (
        majority,
        majority_holder,
        two_thirds,
        two_thirds_holder,
    )

    for need, holder in (
        (majority(house), majority_holder),
        (two_thirds(house), two_thirds_holder),
    ):
        assert holder([need, house - need]) == 0
        assert holder([need - 1, house - need + 1]) != 0


def test_draws_whose_seats_cannot_be_filled_are_counted_apart():
    # Two lists with shares uniform on [0, 1] and a 60% threshold: no list passes when
    # 40% < w_A < 60%, P = 0.2 (tolerance 4 binomial SE). Those draws have no parliament:
    # counted as unfilled and left out of the seat statistics. In every filled draw one list
    # passes alone and takes all 11 seats, so P(majority) is exactly 1 and the seats that
    # change hands against the baseline (A 11 on the reported 70/30) are 0 or 11.
    e = Election.from_votes({"A": 700_000, "B": 300_000})
    rules = Rules(seats=11, method="hare", threshold="60%")
    n = 20_000
    sim = run_montecarlo(
        e,
        [("60%", rules), ("0%", rules.replace(threshold=0))],
        MonteCarloSpec(
            draws=n, seed=8, keep_draws=True, block_size=500, model=ModelSpec(kind="uniform")
        ),
    )
    unfilled = int(sim.tally.unfilled[0])
    assert abs(unfilled / n - 0.2) <= 4 * math.sqrt(0.2 * 0.8 / n)
    seats = sim.draws.seats[:, 0].astype(np.int64)
    filled = seats.sum(1) == 11
    assert (~filled).sum() == unfilled and (seats[~filled] == 0).all()
    assert sim.filled(0) == n - unfilled and sim.p_unfilled(0) == unfilled / n
    assert sim.tally.unfilled[1] == 0 and sim.filled(1) == n
    assert sim.p_majority(0) == 1.0 and sim.p_two_thirds(0) == 1.0
    assert (sim.p_seat(0) == (seats[filled] > 0).mean(0)).all()
    assert np.allclose(sim.mean_seats(0), seats[filled].mean(0))
    assert sim.p_pass(0)[0] == sim.draws.votes[:, 0].__ge__(600_000).mean()  # every draw
    hist = sim.changes_hist(0)
    assert hist.sum() == n - unfilled and set(np.flatnonzero(hist)) == {0, 22}
    assert hist[22] == (seats[filled, 1] == 11).sum()
    # the comparison with the first rule set is over the draws both filled
    other = sim.draws.seats[:, 1].astype(np.int64)
    assert sim.joint(1) == n - unfilled
    diff = (other - seats)[filled]
    assert np.allclose(sim.mean_difference(1), diff.mean(0))
    assert sim.changes_hist(1, "first").sum() == n - unfilled
    # batch means per seeding block, each block over its own filled draws (40 blocks)
    y = seats[:, 0].reshape(40, 500).sum(1)
    k = filled.reshape(40, 500).sum(1)
    mean = y.sum() / k.sum()
    se = math.sqrt(40 / 39 * ((y - mean * k) ** 2).sum()) / k.sum()
    assert math.isclose(sim.mean_seats_se(0)[0], se, rel_tol=1e-9)
    out = sim.summary()["rule_sets"][0]
    assert out["unfilled"] == unfilled and out["filled_draws"] == n - unfilled
    assert out["majority"]["p"] == 1.0 and out["p_unfilled"]["p"] == round(unfilled / n, 6)


def test_a_rule_set_that_fills_no_draw_has_no_seat_statistics():
    # The reported 70/30 fills 6 + 5 seats; at the Monte Carlo's 50% only A passes, and the
    # cap of 6 leaves 5 seats that no list may take, in every draw.
    e = Election.from_votes({"A": 700_000, "B": 300_000})
    rules = Rules(seats=11, method="hare", threshold=0, max_seats=6)
    sim = run_montecarlo(
        e,
        [("capped", rules)],
        MonteCarloSpec(draws=300, seed=1, threshold=ThresholdVariation.fixed(Fraction(1, 2))),
    )
    assert sim.filled(0) == 0 and sim.p_unfilled(0) == 1.0
    assert np.isnan(sim.mean_seats(0)).all() and math.isnan(sim.p_majority(0))
    out = sim.summary()["rule_sets"][0]
    assert out["majority"] == {"seats": 6, "p": None, "se": None}
    assert out["lists"][0]["mean_seats"] is None and out["lists"][0]["interval90"] is None
    assert out["lists"][0]["p_pass_threshold"]["p"] == 1.0


# ---------------------------------------------------------------------------------------------
# bad input: one line naming the key (issue 4, "Bad input")


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"concentration": 0}, r"montecarlo\.concentration: must be a number > 0"),
        ({"concentration": -5}, r"montecarlo\.concentration: must be a number > 0"),
        ({"model": "logit-normal", "sd": -1}, r"montecarlo\.sd: .*≥ 0"),
        (
            {"model": "logit-normal", "sd_lists": {"Birimdik": -0.5}},
            r"montecarlo\.sd_lists\.Birimdik: .*≥ 0",
        ),
        (
            {"model": "transfer", "transfer_from": ["Birimdik"], "transfer_share": "120%"},
            r'montecarlo\.transfer_share: "120%" is outside \[0%, 100%\]',
        ),
        (
            {"model": "transfer", "transfer_from": ["Birimdik"], "transfer_share": ["-1%", "5%"]},
            r'montecarlo\.transfer_share\[0\]: "-1%" is outside \[0%, 100%\]',
        ),
        (
            {
                "model": "transfer",
                "transfer_from": ["Birimdik"],
                "transfer_share": "10%",
                "transfer_to": ["Nobody"],
            },
            r"montecarlo\.transfer_to: no list named 'Nobody'",
        ),
        (
            {"model": "transfer", "transfer_from": ["Nobody"], "transfer_share": "10%"},
            r"montecarlo\.transfer_from: no list named 'Nobody'",
        ),
        ({"model": "transfer", "transfer_share": "10%"}, r"montecarlo\.transfer_from: missing"),
        ({"threshold_range": ["9%", "5%"]}, r"montecarlo\.threshold_range: inverted"),
        (
            {"threshold_range": ["5%", "100%"]},
            r'montecarlo\.threshold_range\[1\]: "100%" is outside \[0%, 100%\)',
        ),
        (
            {"threshold": "7"},
            r'montecarlo\.threshold: "7" needs a % sign \(write "7%" for 7 percent\)',
        ),
        (
            {"threshold": 7},
            r'montecarlo\.threshold: must be a percentage string such as "7%", not 7',
        ),
        ({"threshold": 0.07}, r"montecarlo\.threshold: must be a percentage string"),
        (
            {"threshold": "7%", "threshold_range": ["5%", "9%"]},
            r"montecarlo\.threshold_range: give only one of",
        ),
        (
            {"threshold_values": ["5%", "7%"], "threshold_weights": [1]},
            r"montecarlo\.threshold_weights: 1 weight for 2 values",
        ),
        ({"draws": 0}, r"montecarlo\.draws: must be a whole number ≥ 1, not 0"),
        ({"draws": 2.5}, r"montecarlo\.draws: must be a whole number ≥ 1"),
        ({"workers": 0}, r"montecarlo\.workers: must be a whole number ≥ 1"),
        ({"seed": -1}, r"montecarlo\.seed: must be a whole number ≥ 0"),
        ({"model": "gaussian"}, r"montecarlo\.model: unknown model 'gaussian'; valid models: "),
        ({"sd": 1.0}, r"montecarlo\.sd: belongs to model 'logit-normal', not 'dirichlet'"),
        ({"draw": 10}, r"montecarlo\.draw: unknown key"),
        ({"rule_sets": ["nope"]}, r"montecarlo\.rule_sets: no rule set labelled 'nope'"),
        ({"keep_draws": "yes"}, r"montecarlo\.keep_draws: must be true or false"),
    ],
)
def test_bad_values_are_one_line_errors_naming_the_key(kg, raw, message):
    with pytest.raises(InputError, match=message) as err:
        MonteCarloSpec.from_mapping(raw, "s.toml", kg, labels=["in force"])
    assert str(err.value).startswith("s.toml: montecarlo.") and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "key, value",
    [("threshold_range", ["5%", "9%"]), ("threshold", "6%"), ("threshold_values", ["5%", "9%"])],
)
def test_a_threshold_that_makes_two_rule_sets_one_is_refused(kg, key, value):
    # "in force" (7%) and "5%" differ only in their thresholds: once the Monte Carlo threshold
    # replaces both, they are the same rules and their tables would show the same draws
    # under different headers.
    labels = dict(kg_rule_sets())
    with pytest.raises(InputError) as err:
        MonteCarloSpec.from_mapping({key: value}, "scenarios/x.toml", kg, labels)
    assert str(err.value) == (
        f'scenarios/x.toml: montecarlo.{key}: replaces the thresholds of rule sets "in force" '
        'and "5%", which then differ in nothing; choose rule_sets that differ in something '
        "else"
    )


def test_a_threshold_over_rule_sets_that_differ_otherwise_is_accepted(kg):
    labels = dict(kg_rule_sets())
    raw = {"threshold_range": ["5%", "9%"], "rule_sets": ["in force", "d'Hondt", "valid"]}
    spec = MonteCarloSpec.from_mapping(raw, "s.toml", kg, labels)
    assert spec.rule_sets == ("in force", "d'Hondt", "valid")
    # a strict comparison is kept under the replaced threshold, so it still differs
    strict = {
        "a": Rules(seats=10, threshold="5%"),
        "b": Rules(seats=10, threshold="7%", threshold_comparison=">"),
    }
    MonteCarloSpec.from_mapping({"threshold": "6%"}, "s.toml", kg, strict)
    # without a threshold key nothing is replaced; with labels only, nothing can be compared
    MonteCarloSpec.from_mapping({}, "s.toml", kg, labels)
    MonteCarloSpec.from_mapping({"threshold": "6%"}, "s.toml", kg, list(labels))


def test_three_rule_sets_made_one_are_all_named(kg):
    force = dict(kg_rule_sets())["in force"]
    labels = {
        "in force": force,
        "9%": force.replace(threshold=Fraction(9, 100)),
        "none": force.replace(threshold=0),
        "d'Hondt": force.replace(method="dhondt"),
    }
    with pytest.raises(InputError, match='rule sets "in force", "9%" and "none", which then'):
        MonteCarloSpec.from_mapping({"threshold": "7%"}, "s.toml", kg, labels)


def test_a_good_table_parses(kg):
    spec = MonteCarloSpec.from_mapping(
        {
            "draws": 5000,
            "seed": 7,
            "model": "transfer",
            "transfer_from": ["Birimdik"],
            "transfer_share": ["0%", "20%"],
            "transfer_to": ["Mekenim Kyrgyzstan"],
            "threshold_values": ["5%", "7%"],
            "threshold_weights": [1, 3],
            "workers": 2,
        },
        "s.toml",
        kg,
    )
    assert spec.draws == 5000 and spec.workers == 2 and spec.chunk == spec.block_size
    assert spec.model.transfer_share == (0, Fraction(1, 5))
    assert spec.threshold.values == (Fraction(1, 20), Fraction(7, 100))
    assert (
        MonteCarloSpec.from_mapping({"concentration": math.inf}, "s", kg).model.concentration
        == math.inf
    )


def test_model_and_run_errors_name_the_key(kg):
    with pytest.raises(InputError, match="concentration: must be a number > 0"):
        Dirichlet((1, 2), 0)
    with pytest.raises(InputError, match="sd: 50 points is more than a share of"):
        LogitNormal((10, 990), (50.0, 0.0))
    with pytest.raises(InputError, match="transfer_share: 1.5 is outside"):
        Transfer((1, 2), (0,), 0.0, 1.5)
    with pytest.raises(InputError, match="seed: a Monte Carlo run needs a whole number"):
        run_montecarlo(kg, kg_rule_sets()[:1], MonteCarloSpec(draws=10))
    with pytest.raises(InputError, match="threshold base 'valid' needs the count 'valid'"):
        e = Election.from_votes({"A": 60, "B": 40}, participants=120)
        rules = Rules(seats=5, threshold_base="participants")
        run_montecarlo(
            e, [rules, rules.replace(threshold_base="valid")], MonteCarloSpec(draws=10, seed=1)
        )
    with pytest.raises(InputError, match="rule_sets: no rule set labelled 'x'"):
        run_montecarlo(kg, kg_rule_sets(), MonteCarloSpec(draws=10, seed=1, rule_sets=("x",)))


def test_a_rule_set_that_cannot_fill_the_reported_votes_still_runs():
    # Three lists, 11 seats, a second rule set with at most 3 seats each: 9 < 11 on the
    # reported count and in every draw. The first rule set is the baseline and is filled.
    e = Election.from_votes({"A": 600_000, "B": 300_000, "C": 100_000})
    rules = Rules(seats=11)
    sim = run_montecarlo(
        e,
        [("open", rules), ("cap 3", rules.replace(max_seats=3))],
        MonteCarloSpec(draws=300, seed=4),
    )
    assert sim.reported_seats[0] == (7, 3, 1) and sim.reported_seats[1] is None
    assert sim.filled(1) == 0 and sim.filled(0) == 300
    lists = sim.summary()["rule_sets"][1]["lists"]
    assert [row["reported_seats"] for row in lists] == [None, None, None]
    with pytest.raises(InfeasibleError, match="rule set 'cap 3' on the reported votes"):
        run_montecarlo(e, [("cap 3", rules.replace(max_seats=3))], MonteCarloSpec(draws=10, seed=4))
