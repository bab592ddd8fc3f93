"""The Monte Carlo of districted elections: the district-swing model, reproducibility, hand-
derived probabilities, thresholds, the command line and bad parameters.

Statistical tolerance as in test_montecarlo_stats.py: within 4 standard errors of the exact
value (fixed seeds: a test always passes or always fails). The small forms run by default;
``--run-slow`` runs the large ones.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.special import ndtr
from typer.testing import CliRunner

from simulate import District, Election, InputError, Party, Rules, allocate_districts
from simulate.cli import app
from simulate.metrics import binomial_se
from simulate.montecarlo.district_run import run_district_montecarlo
from simulate.montecarlo.models import ModelSpec
from simulate.montecarlo.models.district_swing import DistrictSwing, round_to_totals
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation

ROOT = Path(__file__).resolve().parents[2]
NORWAY = ROOT / "seeds" / "norway-2021-results.csv"
NORWAY_SEATS = ROOT / "seeds" / "norway-2021-district-seats.csv"
Z = 4.0


def districted(rows, seats, kinds=None, exempt=()):
    """An election from {district: {list: votes}} and {district: seats}."""
    names = list(dict.fromkeys(n for votes in rows.values() for n in votes))
    kinds = kinds or {}
    parties = tuple(
        Party(n, sum(v.get(n, 0) for v in rows.values()), kind=kinds.get(n), exempt=n in exempt)
        for n in names
    )
    districts = tuple(District(d, seats[d], dict(v)) for d, v in rows.items())
    return Election(name="test", parties=parties, seats=sum(seats.values()), districts=districts)


def spec(draws, seed=1, sn=0.1, sd=0.1, **kw):
    model = ModelSpec(kind="district-swing", sigma_national=sn, sigma_district=sd)
    return MonteCarloSpec(draws=draws, seed=seed, model=model, **kw)


def norway():
    election = Election.from_csv(NORWAY, NORWAY_SEATS)
    return election, Rules(seats=150, method="modified-sainte-lague")


def tallies(sim):
    t = sim.tally
    return [
        t.draws,
        t.seat_counts,
        t.majority,
        t.passed,
        t.changed,
        t.district_changed,
        t.district_changed_sq,
        t.district_any,
        t.lots,
        t.unfilled,
    ]


# ---------------------------------------------------------------------------------------------
# the model


def test_rounding_keeps_totals_and_each_count_within_a_vote():
    # Two districts, three lists; weights with fractions. Cumulative rounding: the cumulative
    # sums scaled to the total, rounded, differenced.
    # District 0, total 10, weights 1, 1, 1: cumulative 10/3, 20/3, 10 → 3, 7, 10 → 3, 4, 3.
    # District 1, total 7, weights 2, 0, 5: cumulative 2, 2, 7 → 2, 2, 7 → 2, 0, 5.
    w = np.array([[[1.0], [2.0]], [[1.0], [0.0]], [[1.0], [5.0]]])  # (P, D, 1)
    out = round_to_totals(w, np.array([10.0, 7.0]))[:, :, 0]
    assert out.T.tolist() == [[3, 4, 3], [2, 0, 5]]


def test_both_sigmas_zero_draw_the_reported_counts():
    votes = np.array([[50, 0], [30, 7], [20, 3]])  # (P, D): list 0 did not stand in district 1
    model = DistrictSwing(votes, 0.0, 0.0)
    out = np.empty((3, 2, 4), model.dtype)
    noise = model.draw_block(np.random.default_rng(0), np.random.default_rng(1), 4)
    assert (model.fill(noise, 0, 4, out) == votes[:, :, None]).all()


def test_absent_lists_stay_absent_and_totals_are_kept():
    votes = np.array([[50, 0], [30, 7], [20, 3]])
    model = DistrictSwing(votes, 0.5, 0.5)
    out = np.empty((3, 2, 500), model.dtype)
    noise = model.draw_block(np.random.default_rng(0), np.random.default_rng(1), 500)
    drawn = model.fill(noise, 0, 500, out)
    assert (drawn[0, 1] == 0).all()
    assert (drawn.sum(0) == np.array([100, 10])[:, None]).all()
    assert (drawn >= 0).all() and (drawn == np.rint(drawn)).all()
    assert drawn[:, 0].std(1).min() > 0  # the draws vary


@pytest.mark.parametrize("value", [-0.1, 3.5, float("nan"), True, "0.1"])
def test_bad_sigma_is_one_line(value):
    election, _ = norway()
    with pytest.raises(InputError) as exc:
        MonteCarloSpec.from_mapping(
            {"model": "district-swing", "sigma_national": value}, "x.toml", election
        )
    assert str(exc.value).startswith("x.toml: montecarlo.sigma_national: must be a number")
    assert "\n" not in str(exc.value)


def test_unknown_key_and_wrong_model_keys_are_refused():
    election, _ = norway()
    with pytest.raises(InputError, match="sigma_nation"):
        MonteCarloSpec.from_mapping({"model": "district-swing", "sigma_nation": 1}, "x", election)
    with pytest.raises(InputError, match="sigma_district: belongs to model 'district-swing'"):
        MonteCarloSpec.from_mapping({"sigma_district": 0.2}, "x", election)


def test_district_swing_needs_districts_and_districts_need_it():
    one = Election.from_votes({"A": 60, "B": 40})
    with pytest.raises(InputError, match="district-swing needs an election with districts"):
        MonteCarloSpec.from_mapping(
            {"model": "district-swing"}, "x.toml", one, {"r": Rules(seats=5)}
        )
    election, rules = norway()
    with pytest.raises(InputError, match="run it with run_district_montecarlo"):
        run_montecarlo(election, rules, spec(10))
    with pytest.raises(InputError, match="drawn by the district-swing model, not 'dirichlet'"):
        run_district_montecarlo(election, rules, MonteCarloSpec(draws=10, seed=1))
    with pytest.raises(InputError, match="seed: a Monte Carlo run needs a whole number"):
        run_district_montecarlo(election, rules, spec(10, seed=None))
    # Norway: 25 lists × 19 districts = 475 cells per draw; 2^27 // 475 = 282,563 draws
    with pytest.raises(InputError, match=r"block_size: 1,048,576 draws .* at most 282,563"):
        run_district_montecarlo(election, rules, spec(10, block_size=2**20))


# ---------------------------------------------------------------------------------------------
# the run: baseline, reproducibility


def test_sigma_zero_changes_no_seat():
    election, rules = norway()
    sim = run_district_montecarlo(election, rules, spec(600, sn=0, sd=0))
    base = allocate_districts(election, rules)
    assert (sim.baseline == base.seats).all()
    assert sim.tally.changed.tolist()[0] == 600 and sim.tally.changed.sum() == 600
    assert not sim.tally.district_any.any() and not sim.tally.district_changed.any()
    assert (sim.p_same_seats() == 1).all()
    assert sim.changed_mean() == (0.0, 0.0)


def test_sigma_zero_with_thresholds_per_kind_exemption_and_district_threshold():
    # National base 1,000 votes. Thresholds: party 5% (50 votes), coalition 8% (80 votes);
    # district threshold 20% of the district's votes.
    # P (party, 100 votes) passes; Q (coalition, 70 < 80) fails nationally; M (minority, 30)
    # is exempt from both; C (coalition, 800) passes. District "x" (500 votes, 20% = 100):
    # C 400, P 20 (below 100: out there), Q 50, M 30 (exempt: in). District "y" (500): C 400,
    # P 80 (below 100: out), Q 20. So x's 4 seats go to C and M, y's 3 seats to C alone.
    rows = {"x": {"C": 400, "P": 20, "Q": 50, "M": 30}, "y": {"C": 400, "P": 80, "Q": 20}}
    kinds = {"C": "coalition", "P": "party", "Q": "coalition", "M": "minority"}
    election = districted(rows, {"x": 4, "y": 3}, kinds, exempt={"M"})
    rules = Rules(
        seats=7,
        method="dhondt",
        threshold={"party": "5%", "coalition": "8%", "minority": "5%"},
        district_threshold="20%",
    )
    # d'Hondt in x between C 400 and M 30: quotients 400, 200, 133, 100 before M's 30: C 4.
    base = allocate_districts(election, rules)
    sim = run_district_montecarlo(election, rules, spec(500, sn=0, sd=0))
    assert (sim.baseline == base.seats).all()
    assert sim.baseline_totals.tolist() == [7, 0, 0, 0]
    assert sim.p_pass().tolist() == [1.0, 1.0, 0.0, 1.0]  # C, P, Q, M (seed order)
    assert sim.tally.changed[0] == 500


def test_same_numbers_for_any_chunk_size_and_worker_count():
    election, rules = norway()
    first = None
    for chunk, workers in ((None, 1), (7, 1), (100, 1), (1200, 1), (None, 2)):
        sim = run_district_montecarlo(
            election,
            rules,
            spec(1200, seed=5, sn=0.2, sd=0.2, block_size=256, chunk_size=chunk, workers=workers),
        )
        got = tallies(sim)
        if first is None:
            first = got
            assert sim.tally.lots > 0  # some ties decided by lot: their streams are tested too
            continue
        for a, b in zip(first, got, strict=True):
            assert np.array_equal(a, b), (chunk, workers)


def test_a_different_seed_gives_other_numbers():
    election, rules = norway()
    a = run_district_montecarlo(election, rules, spec(300, seed=1))
    b = run_district_montecarlo(election, rules, spec(300, seed=2))
    assert not np.array_equal(a.tally.seat_counts, b.tally.seat_counts)


def test_threshold_variation_replaces_the_national_threshold():
    # A has 700 of 1,000 votes, B 300 (30%). The threshold is 0% with weight 3 and 45% with
    # weight 1: B passes in a draw with P = 3/4 (σ = 0: the votes never move).
    election = districted({"x": {"A": 350, "B": 150}, "y": {"A": 350, "B": 150}}, {"x": 2, "y": 2})
    rules = Rules(seats=4, method="dhondt", threshold="5%")
    n = 8000
    variation = ThresholdVariation.discrete(["0%", "45%"], [3, 1])
    sim = run_district_montecarlo(
        election, rules, spec(n, sn=0, sd=0, threshold=variation, block_size=1000)
    )
    p = sim.p_pass()[1]
    assert abs(p - 0.75) < Z * binomial_se(0.75, n)
    # Either way A takes both seats of each district: d'Hondt quotients 350 and 175 for A
    # come before B's 150.
    assert sim.baseline_totals.tolist() == [4, 0]
    with pytest.raises(InputError, match="one per kind of list"):
        run_district_montecarlo(
            election,
            Rules(seats=4, method="dhondt", threshold={"party": "5%"}),
            spec(10, threshold=variation),
        )


def test_national_sums_stay_exact_above_float32s_whole_numbers():
    # Twenty districts of 1,025,000 votes and two lists (float32 weights: 1,025,000 × 4 <
    # 2^22), 20,500,000 in all. A polls 1,000,001 in each, 20,000,020 nationally; the
    # threshold 97.56107% of 20,500,000 is 20,000,019.35, so 20,000,020 votes are needed and A
    # has exactly that. Summed in float32 as a window lays them out the twenty counts give
    # 20,000,016 (above 2^24 float32 holds only even numbers, then multiples of 4) and A
    # would fail; it passes in every draw.
    rows = {f"d{j}": {"A": 1_000_001, "B": 24_999} for j in range(20)}
    election = districted(rows, {f"d{j}": 1 for j in range(20)})
    rules = Rules(seats=20, method="dhondt", threshold="97.56107%")
    in_float32 = np.full((2, 20, 3), 1_000_001, np.float32).sum(1)
    assert (in_float32 < 20_000_020).all()
    assert allocate_districts(election, rules).national.lists[0].passed
    sim = run_district_montecarlo(election, rules, spec(50, sn=0, sd=0))
    assert sim.p_pass().tolist() == [1.0, 0.0]
    assert sim.tally.changed[0] == 50


def test_draws_where_no_list_passes_are_counted_unfilled():
    # A 50%, B 45%, C 5% nationally; threshold 49%. Two lists can never both reach 49% (C
    # keeps about 5%), so a draw fills its seats exactly when A or B passes: the unfilled
    # draws are the draws minus those where A passed minus those where B passed. Such a
    # draw fills no seat, so no list holds a majority in it.
    election = districted(
        {"x": {"A": 500, "B": 400, "C": 100}, "y": {"A": 500, "B": 500}}, {"x": 2, "y": 3}
    )
    rules = Rules(seats=5, method="dhondt", threshold="49%")
    sim = run_district_montecarlo(election, rules, spec(2000, sn=0.05, sd=0.05, chunk_size=77))
    t = sim.tally
    assert t.unfilled == 2000 - t.passed[0] - t.passed[1] > 0
    assert t.majority[-1] == t.unfilled
    assert t.seat_counts[:, 0].tolist() == [2000 - t.passed[0], 2000 - t.passed[1], 2000]


# ---------------------------------------------------------------------------------------------
# probabilities known by derivation


def p_a_wins(log_ratio: float, scale: float) -> float:
    """One seat, lists A and B with 100 votes in the district, x = log(w_A / w_B) normal with
    mean ``log_ratio`` and sd ``scale``. A's count is rint(100·w_A/(w_A + w_B)): A wins outright
    when its share is above 50.5% (x > u = log(50.5/49.5)), and the lists tie at 50–50 when
    |x| < u, decided by lot (½ each). So P(A) = P(x > u) + ½ P(−u < x < u)
    = ½ [Φ((m − u)/s) + Φ((m + u)/s)]."""
    u = math.log(50.5 / 49.5)
    return 0.5 * (ndtr((log_ratio - u) / scale) + ndtr((log_ratio + u) / scale))


def shared_swing_case(n: int, s: float) -> None:
    # Districts x (A 60, B 40) and y (A 40, B 60), one seat each, σ_national = s, no
    # district noise. x = log(w_A/w_B) = ±log 1.5 + s(Z_A − Z_B), and Z_A − Z_B ~ N(0, 2):
    # the same swing in both districts. Baseline: A wins x, B wins y (1–1).
    # p = P(A wins y) = p_a_wins(−log 1.5, s√2) = P(B wins x) by symmetry. A winning y needs
    # x_y > −u, so x_x = x_y + 2 log 1.5 > u: A then wins x outright too (2–0), and likewise
    # for B. So P(A holds a majority) = P(B does) = p, P(no majority) = 1 − 2p; each
    # district changes hands with P = p; seats changing hands in total: 1 in a 2–0 draw,
    # mean 2p. (Were the swings independent per district, P(2–0 for A) would be about p·(1−p).)
    election = districted({"x": {"A": 60, "B": 40}, "y": {"A": 40, "B": 60}}, {"x": 1, "y": 1})
    rules = Rules(seats=2, method="dhondt")
    sim = run_district_montecarlo(election, rules, spec(n, seed=11, sn=s, sd=0))
    p = p_a_wins(-math.log(1.5), s * math.sqrt(2))
    assert sim.baseline.tolist() == [[1, 0], [0, 1]]
    major = sim.p_majority()
    for got, want in ((major[0], p), (major[1], p), (major[2], 1 - 2 * p)):
        assert abs(got - want) < Z * binomial_se(want, n), (got, want)
    for got in sim.p_district_changed():
        assert abs(got - p) < Z * binomial_se(p, n)
    mean, se = sim.changed_mean()
    assert abs(mean - 2 * p) < Z * se
    assert sim.summary()["seats_changing_hands"]["distribution"].keys() <= {0, 1}


def test_shared_swing_small():
    shared_swing_case(20_000, 0.5)


@pytest.mark.slow
def test_shared_swing_large():
    shared_swing_case(1_000_000, 0.5)


def district_noise_case(n: int, s: float) -> None:
    # One district, A 60, B 40, one seat, σ_district = s only: x = log 1.5 + s(E_A − E_B),
    # E the discretised normal (2^16 quantiles: its sd is 1 within 1e-4, which moves P(A) by
    # far less than the tolerance here). P(A wins) = p_a_wins(log 1.5, s√2).
    election = districted({"x": {"A": 60, "B": 40}}, {"x": 1})
    sim = run_district_montecarlo(election, Rules(seats=1, method="dhondt"), spec(n, sn=0, sd=s))
    p = p_a_wins(math.log(1.5), s * math.sqrt(2))
    got = sim.seat_probabilities()[0, 1]
    assert abs(got - p) < Z * binomial_se(p, n), (got, p)
    assert abs(sim.p_majority()[0] - got) == 0  # one seat: holding it is the majority


def test_district_noise_small():
    district_noise_case(20_000, 0.5)


@pytest.mark.slow
def test_district_noise_large():
    district_noise_case(1_000_000, 0.5)


def test_national_threshold_per_draw_near_its_edge():
    # Two districts, each A 450, B 50 (B at exactly 10% nationally), threshold 10% of the
    # 1,000 votes: 100 needed. σ_national = s only, so both districts move alike: B's share q
    # is the same in each and it polls 2·rint(500·q). It passes iff rint(500·q) ≥ 50, i.e.
    # 500·q ≥ 49.5 (the edge has probability zero), q ≥ 0.099: x = log(w_B/w_A) ≥
    # log(0.099/0.901), with x ~ N(log(1/9), 2s²). P(pass) = Φ((log(1/9) − c)/(s√2)).
    s, n = 0.1, 20_000
    election = districted({"x": {"A": 450, "B": 50}, "y": {"A": 450, "B": 50}}, {"x": 3, "y": 3})
    rules = Rules(seats=6, method="dhondt", threshold="10%")
    sim = run_district_montecarlo(election, rules, spec(n, seed=3, sn=s, sd=0))
    c = math.log(0.099 / 0.901)
    p = float(ndtr((math.log(1 / 9) - c) / (s * math.sqrt(2))))  # 0.5312
    assert abs(sim.p_pass()[1] - p) < Z * binomial_se(p, n), (sim.p_pass()[1], p)
    assert sim.p_pass()[0] == 1.0
    # B never wins a seat: with 50-odd votes against A's 450 in a 3-seat district, d'Hondt
    # gives A quotients 450, 225, 150 before B's 50; when B fails, A takes all anyway.
    assert sim.seat_probabilities()[0, 6] == 1.0


# ---------------------------------------------------------------------------------------------
# the command line (in process)

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, ["montecarlo", *(str(a) for a in args)], env={"COLUMNS": "100"})


def test_cli_tables():
    res = invoke(
        NORWAY,
        "--district-seats",
        NORWAY_SEATS,
        "--method",
        "modified-sainte-lague",
        "--draws",
        800,
        "--seed",
        3,
        "--no-progress",
    )
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "800 draws (seed 3)" in out
    assert "national swing" in out and "district noise" in out
    assert "seats in total over 19 districts" in out and "Arbeiderpartiet" in out
    assert "seats changing hands by district" in out and "Finnmark" in out


def test_cli_json_matches_the_api():
    res = invoke(
        NORWAY,
        "--district-seats",
        NORWAY_SEATS,
        "--method",
        "modified-sainte-lague",
        "--draws",
        500,
        "--seed",
        4,
        "--json",
        "--no-progress",
        "--sigma-national",
        0.05,
        "--sigma-district",
        0.2,
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    election, rules = norway()
    sim = run_district_montecarlo(election, rules.replace(ties="lot"), spec(500, 4, 0.05, 0.2))
    assert data["kind"] == "montecarlo-districts" and data["draws"] == 500
    assert data["lists"]["Høyre"]["mean_seats"] == pytest.approx(sim.mean_seats()[7])
    assert set(data["districts"]) == set(election.district_names)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sigma-national", "-1"], "--sigma-national: must be a number from 0 to 3"),
        (["--sigma-district", "4"], "--sigma-district: must be a number from 0 to 3"),
        (["--method", "nope"], "--method"),
        (["--threshold", "5"], "--threshold"),
        (["--save-draws", "x.npz"], "--save-draws: not available for a districted run"),
    ],
)
def test_cli_bad_options_are_one_line(args, message, tmp_path):
    res = invoke(NORWAY, "--district-seats", NORWAY_SEATS, "--draws", 10, "--seed", 1, *args)
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], res.stderr


def test_cli_needs_district_seats_and_refuses_district_options_for_a_scenario():
    res = invoke(NORWAY, "--draws", 10)
    assert res.exit_code == 2 and "--district-seats" in res.stderr
    res = invoke(ROOT / "scenarios" / "kyrgyzstan-2020.toml", "--sigma-district", 0.3)
    assert res.exit_code == 2
    assert "--sigma-district: goes with a results table" in res.stderr


def test_cli_save_json_writes_the_printed_summary(tmp_path):
    target = tmp_path / "out" / "mc.json"
    res = invoke(
        NORWAY,
        "--district-seats",
        NORWAY_SEATS,
        "--draws",
        300,
        "--seed",
        2,
        "--json",
        "--no-progress",
        "--save-json",
        target,
    )
    assert res.exit_code == 0, res.output
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(res.stdout)
    # an input of the run is never an output
    res = invoke(NORWAY, "--district-seats", NORWAY_SEATS, "--draws", 10, "--save-json", NORWAY)
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1


def test_district_threshold_on_valid_votes_counts_the_blank_ballots():
    # One district, 33 seats, A 970 and C 30 votes, 20 blank ballots; 3% district threshold.
    # On the lists' votes (1,000) 3% is 30: C takes part, and d'Hondt gives A 32, C 1 (C's 30
    # beats A's 33rd quotient 970/33 = 29.4). On valid votes (1,020) 3% is 30.6, so 31 votes
    # are needed: C is out and A takes all 33 (the seeds helper's hand-worked case). With no
    # swing the Monte Carlo must keep each baseline.
    election = Election(
        name="blank",
        parties=(Party("A", 970), Party("C", 30)),
        districts=(District("d", 33, {"A": 970, "C": 30}, blank=20),),
    )
    for base, expected in (("party-votes", [32, 1]), ("valid", [33, 0])):
        rules = Rules(
            seats=33, method="dhondt", district_threshold="3%", district_threshold_base=base
        )
        sim = run_district_montecarlo(election, rules, spec(200, sn=0, sd=0))
        assert sim.baseline_totals.tolist() == expected
        assert sim.tally.changed[0] == 200


@pytest.mark.parametrize(
    "changes, what",
    [
        ({"alliances": [{"lists": ["C", "M"], "pool": "both"}]}, "alliances"),
        ({"quotient_factors": {"minority": "1.35"}}, "quotient_factors"),
    ],
)
def test_rules_the_district_run_does_not_apply_are_refused(changes, what):
    rows = {"x": {"C": 400, "P": 100, "M": 30}, "y": {"C": 400, "P": 80}}
    kinds = {"C": "party", "P": "party", "M": "minority"}
    election = districted(rows, {"x": 4, "y": 3}, kinds)
    rules = Rules(seats=7, method="dhondt", **changes)
    with pytest.raises(InputError, match=f"does not apply {what}"):
        run_district_montecarlo(election, rules, spec(10))
