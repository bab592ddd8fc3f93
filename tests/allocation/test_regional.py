"""Regional thresholds on constructed data: no source gave regional vote counts for any Kyrgyz
election, and for 2020 only two regions' percentages (elections.md, "Regional results"; those
are tested in test_regional_2020.py), so the rule is tested on votes made here.

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


# ---------------------------------------------------------------------------------------------
# Regions given as published percentages, and regions named without votes. A percentage printed
# to two decimals stands for anything within ±0.005 points of it: a list misses a region only
# when even the top of that range is below the threshold, and is not failed when the range
# straddles it. A region the seed names without votes is neither passed nor failed.

SHARES = """
name = "Published percentages"
seats = 10
participants = 1000

[regions.North]
shares_of = "participants"
source = "a newspaper"

[regions.South]
participants = 300

[regions.East]
notes = "nothing published"

[[party]]
name = "A"
votes = 500
regions = { North = "60.12%", South = 150 }

[[party]]
name = "B"
votes = 300
regions = { North = "0.69%", South = 100 }

[[party]]
name = "C"
votes = 180
regions = { North = "0.7%", South = 40 }
"""


@pytest.fixture
def shares(tmp_path):
    path = tmp_path / "shares.toml"
    path.write_text(SHARES)
    return Election.load(path)


RULES = {"seats": 10, "threshold": "5%", "threshold_base": "participants"}


def test_a_published_percentage_below_the_threshold_fails_the_list(shares):
    assert shares.share_regions == ("North",) and shares.count_regions == ("South",)
    assert shares.regions_without_votes == ("East",)
    res = allocate(shares, Rules(**RULES, regional_threshold="0.7%"))
    b = res.lists[1]
    # 0.69% published: at most 0.695% < 0.7%, so B misses North whatever the rounding
    assert not b.passed and b.short_by is None
    assert b.reasons == ("0.7% not reached in North (0.69% published)",)
    assert [(s.region, s.votes, s.needed, s.short_by, s.published) for s in b.shortfalls] == [
        ("North", None, None, None, "0.69%")
    ]
    assert res.as_dict() == {"A": 7, "C": 3}  # Hare on 680: 7.35 and 2.65


def test_a_percentage_straddling_the_threshold_is_undecided_not_failed(shares):
    # C's "0.7%" (one decimal) stands for 0.65%..0.75%: it may be above or below 0.7%.
    res = allocate(shares, Rules(**RULES, regional_threshold="0.7%"))
    assert res.lists[2].passed
    assert "C has 0.7% in North as published, too close to 0.7% to tell" in " ".join(res.notes)
    # at 0.8% the top of C's range (0.75%) is below: C misses North
    res = allocate(shares, Rules(**RULES, regional_threshold="0.8%"))
    assert [s.published for s in res.lists[2].shortfalls] == ["0.7%"]
    # strictly more than 0.75%: the top of the range is not more, so C misses
    strict = allocate(shares, Rules(**RULES, regional_threshold="0.75%", threshold_comparison=">"))
    assert not strict.lists[2].passed
    assert allocate(shares, Rules(**RULES, regional_threshold="0.75%")).lists[2].passed


def test_regions_without_votes_are_named_as_not_checked(shares):
    res = allocate(shares, Rules(**RULES, regional_threshold="0.7%"))
    assert res.regional_checked is True and res.regional_unchecked == ("East",)
    assert res.notes[0] == (
        "regional threshold 0.7% checked in North and South only (North from published "
        "percentages); not checked in East, where the seed gives no votes: no list is failed "
        "or passed there"
    )


def test_percentages_check_only_the_base_they_are_of(shares):
    with pytest.raises(InputError, match="regions.North gives published percentages of "):
        allocate(shares, Rules(**RULES, regional_threshold="0.7%", regional_threshold_base="valid"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('North = "0.69%"', "North = 7"), "regions.North: give every list's votes there as"),
        (('shares_of = "participants"\n', ""), "regions.North.shares_of: missing"),
        (('"60.12%"', '"99.9%"'), "regions.North: the lists' percentages add up to over 100%"),
        (('"60.12%"', '"60,12%"'), "must be a vote count or a published percentage such as"),
        (("participants = 300", 'participants = 300\nshares_of = "valid"'), "only for a region"),
    ],
)
def test_bad_percentages_are_refused(tmp_path, change, message):
    path = tmp_path / "bad.toml"
    path.write_text(SHARES.replace(*change))
    with pytest.raises(InputError, match=message):
        Election.load(path)
