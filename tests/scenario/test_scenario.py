"""simulate.scenario: the shipped Kyrgyz 2020 scenario, and every kind of bad key."""

from fractions import Fraction
from pathlib import Path

import pytest

from simulate.errors import InputError
from simulate.scenario.file import Scenario

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "kyrgyzstan-2020.toml"

GOOD = f'''
title = "test"
election = "{SEED}"

[rules]
seats = 120
method = "hare"
threshold = "7%"
threshold_base = "participants"
max_seats = 65
'''


def write(tmp_path, text, name="x.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error(tmp_path, text) -> str:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        Scenario.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message
    return message


def test_shipped_2020_scenario_has_the_rules_in_force():
    # elections.md, "Rules in force in 2020": 120 seats, Hare, 7% of voters who took part,
    # 0.7% in each region, at most 65 seats
    sc = Scenario.load(ROOT / "scenarios" / "kyrgyzstan-2020.toml")
    r = sc.rules
    assert (r.seats, r.method, r.threshold, r.threshold_base) == (
        120,
        "hare",
        Fraction(7, 100),
        "participants",
    )
    assert r.regional_threshold == Fraction(7, 1000) and r.max_seats == 65
    assert sc.election.participants == 1_990_753
    labels = [a.label for a in sc.compare]
    assert labels == [
        "d'Hondt",
        "Sainte-Laguë",
        "valid votes",
        "party votes",
        "9% (2019)",
        "5%",
        "3%",
        "no cap",
    ]
    alt = {a.label: a.rules for a in sc.compare}
    assert alt["d'Hondt"].method == "dhondt" and alt["d'Hondt"].threshold == Fraction(7, 100)
    assert alt["9% (2019)"].threshold == Fraction(9, 100)
    assert alt["no cap"].max_seats is None and alt["no cap"].method == "hare"
    assert alt["party votes"].threshold_base == "party-votes"
    assert (sc.sweep.low, sc.sweep.high) == (0, Fraction(12, 100))


def test_minimal_scenario_defaults(tmp_path):
    sc = Scenario.load(write(tmp_path, f'title = "t"\nelection = "{SEED}"\n[rules]\n'))
    assert sc.rules.seats == 120  # from the seed
    assert sc.rules.threshold == 0 and sc.rules.threshold_base == "party-votes"
    assert sc.label == "baseline" and sc.compare == () and sc.sweep is None
    assert sc.montecarlo is None


def test_seed_path_is_relative_to_the_scenario(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "s.toml").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    sc = Scenario.load(write(folder, 'title = "t"\nelection = "../seeds/s.toml"\n[rules]\n'))
    assert sc.election.path == str(tmp_path / "seeds" / "s.toml")


def test_sweep_without_range_takes_the_default(tmp_path):
    sc = Scenario.load(write(tmp_path, GOOD + "\n[sweep]\n"))
    assert (sc.sweep.low, sc.sweep.high) == (None, None)


def test_montecarlo_table_is_kept_raw(tmp_path):
    sc = Scenario.load(write(tmp_path, GOOD + "\n[montecarlo]\ndraws = 1000\nseed = 7\n"))
    assert (sc.montecarlo.draws, sc.montecarlo.seed) == (1000, 7)  # parsed once, on loading


def test_none_switches_optional_rules_off(tmp_path):
    sc = Scenario.load(
        write(
            tmp_path,
            GOOD + '\n[[compare]]\nlabel = "a"\nmax_seats = "none"\nregional_threshold = "none"\n',
        )
    )
    assert sc.compare[0].rules.max_seats is None
    assert sc.compare[0].changes == {"max_seats": "none", "regional_threshold": "none"}


@pytest.mark.parametrize(
    "text, expected",
    [
        (GOOD.replace('"7%"', '"7"'), 'rules.threshold: "7" needs a % sign'),
        (GOOD.replace('"7%"', "7"), "rules.threshold: must be a percentage string"),
        (GOOD.replace('"7%"', "0.07"), "rules.threshold: must be a percentage string"),
        (GOOD.replace('"7%"', '"107%"'), 'rules.threshold: "107%" is outside [0%, 100%)'),
        (GOOD.replace('"hare"', '"borda"'), "rules.method: unknown method 'borda'"),
        (GOOD.replace('"hare"', "1"), "rules.method: must be a string"),
        (GOOD.replace("seats = 120", 'seats = "120"'), "rules.seats: must be a whole number"),
        (GOOD.replace("seats = 120", "seats = 0"), "rules.seats: must be a whole number ≥ 1"),
        (GOOD.replace("max_seats = 65", "max_seats = true"), "rules.max_seats: must be a whole"),
        (
            GOOD.replace('"participants"', '"voters"'),
            "rules.threshold_base: unknown threshold base",
        ),
        (GOOD + 'ties = "coin"\n', "rules.ties: 'coin' is not one of error, lot"),
        (GOOD + 'threshold_comparison = "=>"\n', "rules.threshold_comparison: '=>' is not one of"),
        (GOOD + "tresholds = 1\n", "rules.tresholds: unknown key"),
        (GOOD + "min_seats = 70\n", "rules: min_seats (70) exceeds max_seats (65)"),
        ("colour = 1\n" + GOOD, "colour: unknown key"),
        (GOOD.replace('title = "test"', "title = 3"), "title: must be a string"),
        (GOOD.replace('title = "test"', ""), "title: missing"),
        (GOOD.split("[rules]")[0], "rules: missing"),
        (GOOD.replace(str(SEED), "nowhere.toml"), "election: no such seed file 'nowhere.toml'"),
        (GOOD + '\n[[compare]]\nmethod = "dhondt"\n', "compare[0].label: missing"),
        (GOOD + '\n[[compare]]\nlabel = "a"\n', "compare[0]: changes no rule"),
        (GOOD + '\n[[compare]]\nlabel = "a"\nmethod = "x"\n', "compare[0].method: unknown method"),
        (GOOD + '\n[[compare]]\nlabel = "a"\nthreshold = "9"\n', 'compare[0].threshold: "9" needs'),
        (
            GOOD + '\n[[compare]]\nlabel = "a"\nseats = 5\ncolor = "x"\n',
            "compare[0].color: unknown",
        ),
        (
            GOOD + '\n[[compare]]\nlabel = "a"\nseats = 5\n[[compare]]\nlabel = "a"\nseats = 6\n',
            "compare[1].label: 'a' is used twice",
        ),
        (GOOD + '\n[sweep]\nrange = ["0%", "12"]\n', 'sweep.range[1]: "12" needs a % sign'),
        (GOOD + '\n[sweep]\nrange = ["9%", "3%"]\n', "sweep.range: the start (9%) must be below"),
        (GOOD + '\n[sweep]\nrange = "0%-12%"\n', "sweep.range: must be two percentages"),
        (GOOD + '\n[sweep]\nstep = "1%"\n', "sweep.step: unknown key"),
        ("montecarlo = 5\n" + GOOD, "montecarlo: must be a table"),
        (GOOD.replace("[rules]", "lot_seed = -1\n[rules]"), "lot_seed: must be a whole number"),
        ('title = "t"\nelection = "x.toml"\n[rules\n', "not valid TOML"),
    ],
)
def test_bad_scenarios_name_the_file_and_the_key(tmp_path, text, expected):
    assert expected in error(tmp_path, text)


def test_a_base_the_seed_does_not_count_is_an_error(tmp_path):
    seed = tmp_path / "seed.toml"
    seed.write_text(
        'name = "e"\nseats = 10\n[[party]]\nname = "A"\nvotes = 10\n'
        '[[party]]\nname = "B"\nvotes = 5\n',
        encoding="utf-8",
    )
    message = error(
        tmp_path, f'title = "t"\nelection = "{seed}"\n[rules]\nthreshold_base = "participants"\n'
    )
    assert "rules.threshold_base: 'participants' needs the count 'participants'" in message


def test_missing_scenario_file(tmp_path):
    with pytest.raises(InputError, match=r"no\.toml: no such scenario file"):
        Scenario.load(tmp_path / "no.toml")


def test_errors_in_the_seed_name_the_seed(tmp_path):
    seed = tmp_path / "seed.toml"
    seed.write_text('name = "e"\n[[party]]\nname = "A"\nvotes = "ten"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"seed\.toml: list 'A': votes: must be a whole number"):
        Scenario.load(write(tmp_path, f'title = "t"\nelection = "{seed}"\n[rules]\nseats = 5\n'))


@pytest.mark.parametrize("value", ['"7"', "7", "0.07", '"100%"', '"-1%"', '"seven%"'])
def test_a_percentage_is_read_alike_in_rules_and_montecarlo(tmp_path, value):
    # The same mistake gives the same words after the file and the key, wherever it is made.
    in_rules = error(tmp_path, GOOD.replace('"7%"', value))
    in_mc = error(tmp_path, GOOD + f"\n[montecarlo]\nthreshold = {value}\n")
    assert "rules.threshold: " in in_rules and "montecarlo.threshold: " in in_mc
    assert in_rules.split("rules.threshold: ")[1] == in_mc.split("montecarlo.threshold: ")[1]


def test_a_bare_number_in_montecarlo_asks_for_a_percent_sign(tmp_path):
    path = write(tmp_path, GOOD + '\n[montecarlo]\nthreshold = "7"\n')
    with pytest.raises(InputError) as info:
        Scenario.load(path)
    assert str(info.value) == (
        f'{path}: montecarlo.threshold: "7" needs a % sign (write "7%" for 7 percent)'
    )


def test_an_unknown_key_is_worded_alike_in_rules_and_montecarlo(tmp_path):
    in_rules = error(tmp_path, GOOD + "tresholds = 1\n")
    in_mc = error(tmp_path, GOOD + "\n[montecarlo]\ntresholds = 1\n")
    assert "rules.tresholds: unknown key (expected one of " in in_rules
    assert "montecarlo.tresholds: unknown key (expected one of " in in_mc
    assert "draws, keep_draws" in in_mc  # the keys sorted, as everywhere else
