"""Regional thresholds on constructed data: no source gave regional votes for any Kyrgyz
election (elections.md, "What no source gave"), so the rule is tested on votes made here.

Rule (elections.md, rules of 2020): a list needs the national threshold AND the regional
threshold in every region; the regional base here is each region's count from the seed.
"""

import pytest

from simulate import Election, InputError, Rules, allocate

SEED = """
name = "Three regions"
seats = 10
participants = 1000

[regions]
North = { participants = 500 }
South = { participants = 300 }
City = { participants = 200 }

[[party]]
name = "A"
votes = 500
regions = { North = 300, South = 150, City = 50 }

[[party]]
name = "B"
votes = 300
regions = { North = 100, South = 100, City = 100 }

[[party]]
name = "C"
votes = 180
regions = { North = 175, South = 2, City = 3 }
"""


@pytest.fixture
def election(tmp_path):
    path = tmp_path / "regions.toml"
    path.write_text(SEED)
    return Election.load(path)


def test_a_list_missing_one_region_gets_no_seat(election):
    # 1% of South (300) is 3 votes: C has 2 there, so it is out although it has 18% nationally.
    res = allocate(
        election,
        Rules(seats=10, threshold="5%", threshold_base="participants", regional_threshold="1%"),
    )
    assert res.regional_checked is True
    assert res.as_dict() == {"A": 6, "B": 4}
    c = res.lists[2]
    assert not c.passed and c.short_by is None  # it passed the national threshold
    assert c.reasons == ("1% not reached in South (2 votes, 3 needed)",)
    assert [(s.region, s.votes, s.needed, s.short_by) for s in c.shortfalls] == [("South", 2, 3, 1)]


def test_exactly_at_the_regional_threshold_passes(election):
    # 1% of City (200) is exactly 2 votes; C has 3 there. 0.5% of South (300) is 1.5 -> 2.
    res = allocate(
        election,
        Rules(seats=10, threshold="5%", threshold_base="participants", regional_threshold="0.5%"),
    )
    assert res.lists[2].passed
    assert res.as_dict() == {"A": 5, "B": 3, "C": 2}
    strict = allocate(
        election,
        Rules(
            seats=10,
            threshold="5%",
            threshold_base="participants",
            regional_threshold="1.5%",
            threshold_comparison=">",
        ),
    )
    assert [r.name for r in strict.lists if not r.passed] == ["C"]


def test_regional_base_of_party_votes(election):
    # Party-votes base: South has 252 list votes; 1% is 2.52 -> 3 needed; C still misses.
    res = allocate(
        election, Rules(seats=10, regional_threshold="1%", regional_threshold_base="party-votes")
    )
    assert not res.lists[2].passed


def test_region_count_missing(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text(SEED.replace("City = { participants = 200 }", "City = { valid = 200 }"))
    with pytest.raises(InputError, match="needs regions.City.participants"):
        allocate(
            Election.load(path),
            Rules(seats=10, threshold_base="participants", regional_threshold="1%"),
        )


def test_every_list_must_name_every_region(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text(
        SEED.replace(
            "regions = { North = 175, South = 2, City = 3 }", "regions = { North = 175, South = 5 }"
        )
    )
    with pytest.raises(InputError, match="list 'C': regions must name every region"):
        Election.load(path)
