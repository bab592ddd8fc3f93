"""The Monte Carlo benchmark: it runs, its parts add up, and its plain per-draw reference
counts the same seats as the vectorised run (so the ratio compares like with like)."""

import math

import numpy as np

from simulate.bench.montecarlo import (
    bench_election,
    bench_montecarlo,
    bench_rule_sets,
    plain_loop,
)
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec


def test_bench_reports_rates_and_parts():
    b = bench_montecarlo(draws=20_000, loop_draws=300, memory_draws=None)
    assert b.draws_per_second > 0 and b.loop_draws_per_second > 0
    assert b.ratio == b.draws_per_second / b.loop_draws_per_second
    per_million = b.seconds / b.draws * 1e6
    parts = (
        b.generate_s_per_million,
        b.engine_s_per_million,
        b.tally_s_per_million,
        b.overhead_s_per_million,
    )
    # timed inside the run reported: every part is there, and they add up to it
    assert min(parts) > 0 and math.isclose(sum(parts), per_million)
    assert b.overhead_s_per_million < per_million / 2  # the set-up, a few milliseconds
    assert b.peak_memory_mb is None and b.settings["lists"] == 16
    assert 0 < b.dirichlet_s_per_million < math.inf


def test_a_clock_times_the_phases_and_changes_no_number():
    election, rule_sets = bench_election(), bench_rule_sets()
    spec = MonteCarloSpec(draws=3000, seed=2, block_size=1000, chunk_size=700)
    clock = {}
    timed = run_montecarlo(election, rule_sets, spec, clock=clock)
    assert sorted(clock) == ["allocate", "tally", "votes"] and min(clock.values()) > 0
    assert timed.summary() == run_montecarlo(election, rule_sets, spec).summary()


def test_plain_loop_counts_the_same_seats_as_the_vectorised_run():
    # Same model and rules, independent streams: mean seats per list agree within 4 standard
    # errors of their difference (sample SEs of both runs).
    election, rule_sets = bench_election(), bench_rule_sets()
    n_loop, n_vec = 3000, 30_000
    _, hist = plain_loop(election, rule_sets, n_loop, seed=5, concentration=2000.0)
    sim = run_montecarlo(election, rule_sets, MonteCarloSpec(draws=n_vec, seed=5))
    for r in range(len(rule_sets)):
        h = np.array(hist[r], dtype=np.float64)
        k = np.arange(h.shape[1])
        mean = (h * k).sum(1) / n_loop
        var = (h * k * k).sum(1) / n_loop - mean**2
        se = np.sqrt(var / n_loop + sim.mean_seats_se(r) ** 2)
        assert (np.abs(mean - sim.mean_seats(r)) <= 4 * se + 1e-12).all(), r


def test_bench_without_a_cap_drops_only_the_cap():
    capped, plain = bench_rule_sets(), bench_rule_sets(capped=False)
    assert [r.max_seats for _, r in capped] == [65, 65]
    assert [r.max_seats for _, r in plain] == [None, None]
    assert [r.replace(max_seats=None) for _, r in capped] == [r for _, r in plain]
    b = bench_montecarlo(draws=5_000, loop_draws=200, memory_draws=None, capped=False)
    assert b.settings["cap"] is None and b.draws == 5_000


def test_district_bench_reports_rates_and_parts():
    from simulate.bench.montecarlo_districts import bench_district_montecarlo

    b = bench_district_montecarlo(3000, reference_seconds=0.1, memory_draws=None)
    assert b.draws_per_second > 0 and b.reference_draws_per_second > 0
    assert b.ratio == b.draws_per_second / b.reference_draws_per_second
    parts = (
        b.votes_s_per_million,
        b.eligibility_s_per_million,
        b.allocate_s_per_million,
        b.tally_s_per_million,
    )
    assert min(parts) > 0
    assert math.isclose(sum(parts) + b.overhead_s_per_million, b.seconds / b.draws * 1e6)
    assert b.settings["districts"] == 52 and b.settings["seats"] == 350


def test_district_reference_allocates_as_the_run():
    # The reference's steps (the model for one draw, the district threshold in integers,
    # allocate_one per district) on the reported votes (sigma 0) give the run's baseline.
    from simulate.bench.montecarlo_districts import bench_district_election
    from simulate.districts import allocate_districts
    from simulate.montecarlo.models.district_swing import DistrictSwing
    from simulate.reference import allocate_one
    from simulate.threshold import min_votes

    election, rules = bench_district_election()
    votes = election.district_votes().T.copy()
    model = DistrictSwing(votes, 0.0, 0.0)
    out = np.empty((*votes.shape, 1), model.dtype)
    drawn = model.fill(model.draw_block(None, None, 1), 0, 1, out)[:, :, 0]
    want = allocate_districts(election, rules, rng=np.random.default_rng(0)).seats
    for d, seats in enumerate(election.district_seats()):
        column = [int(v) for v in drawn[:, d]]
        need = min_votes(rules.district_threshold, sum(column), rules.strict)
        got, tied = allocate_one(rules.method_spec, [v if v >= need else 0 for v in column], seats)
        assert not tied and got == want[d].tolist()
