"""The Monte Carlo applies quotient factors and rounded quotas in every draw: each kept draw's
seats are what ``allocate_batch`` gives for its votes under the same rules."""

import numpy as np

from simulate import Election, Party, Rules, allocate_batch_detail
from simulate.montecarlo import MonteCarloSpec
from simulate.montecarlo.run import run_montecarlo


def test_every_draw_follows_the_law_rules():
    e = Election(
        name="t",
        parties=(
            Party("A", 1000, kind="party"),
            Party("B", 800, kind="minority"),
            Party("C", 450, kind="party"),
        ),
    )
    rule_sets = [
        ("factor", Rules(7, "dhondt", quotient_factors={"minority": "1.35"}, ties="first-listed")),
        ("rounded", Rules(7, "droop", quota_rounding="down", ties="first-listed")),
    ]
    sim = run_montecarlo(e, rule_sets, MonteCarloSpec(draws=3000, seed=4, keep_draws=True))
    votes = sim.draws.votes[:, :3]
    for r, (_, rules) in enumerate(rule_sets):
        want = allocate_batch_detail(votes, rules, kinds=["party", "minority", "party"])
        ok = want.status == 0
        assert ok.mean() > 0.99
        # draws the engine settled by the rule may differ from the Monte Carlo's lot: compare
        # the untied ones
        same = ok & ~want.tied
        assert np.array_equal(sim.draws.seats[same, r], want.seats[same])
    # On the reported count, the rules as ``allocate`` applies them (hand-worked in
    # test_law_rules.py): d'Hondt with B's quotients × 1.35 is 1080 B, 1000 A, 540 B, 500 A,
    # 450 C, 360 B, 333.3 A: A 3, B 3, C 1. Droop rounded down: q = floor(2250/8) = 281;
    # whole quotas A 3 (157), B 2 (238), C 1 (169): 6, the 7th to B's remainder: A 3, B 3, C 1.
    assert sim.reported_seats == ((3, 3, 1), (3, 3, 1))


def test_the_reported_count_follows_the_tie_rule():
    # d'Hondt, 15 seats, A 280, B 360: the 15th seat is tied (280/7 = 360/9 = 40). The
    # reported count ("now") follows the rule, as seatsim run's allocation does: first-listed
    # gives it to A (7, 8), most-votes to B (6, 9); no lot is drawn for it.
    e = Election(name="t", parties=(Party("A", 280), Party("B", 360)))
    rule_sets = [
        ("first", Rules(15, "dhondt", ties="first-listed")),
        ("most", Rules(15, "dhondt", ties="most-votes")),
    ]
    sim = run_montecarlo(e, rule_sets, MonteCarloSpec(draws=100, seed=2))
    assert sim.reported_seats == ((7, 8), (6, 9))
    assert any("decided by the rule of the law: the list listed first wins" in n for n in sim.notes)
