"""The regional results of 2020 in the seed, and what the 0.7% rule makes of them.

Sources (elections.md, "Regional results"; the seed's `sources`): 24.kg printed each list's
percentage of the region's voters for Bishkek (24.kg/english/167474, "Elections 2020:
Preliminary results of voting in Bishkek") and Talas (24.kg/english/167492, "Elections 2020:
Talas region gives preference to Mekenim Kyrgyzstan"), during the automatic count on the night
of 4-5 October 2020. Nothing was found for the other seven regional units.
"""

from fractions import Fraction
from pathlib import Path

import pytest

from simulate import Election, Rules, allocate

SEED = Path(__file__).resolve().parents[2] / "seeds" / "kyrgyzstan-2020.toml"

# As printed, in the order of each article; against-all is in the region's notes.
BISHKEK = {  # 24.kg/english/167474; against all 4.52
    "Birimdik": "16.49%",
    "Mekenim Kyrgyzstan": "16.45%",
    "Respublika": "10.45%",
    "Social Democrats": "6.95%",
    "Reforma": "6.49%",
    "Butun Kyrgyzstan": "6.12%",
    "Mekenchil": "5.51%",
    "Ata-Meken": "5.49%",
    "Chon Kazat": "4.89%",
    "Yiman Nuru": "4.88%",
    "Kyrgyzstan": "3.55%",
    "Bir Bol": "2.25%",
    "Zamandash": "2.18%",
    "Meken Yntymagy": "1.04%",
    "Afghan War Veterans": "0.42%",
    "Ordo": "0.33%",
}
TALAS = {  # 24.kg/english/167492; against all 1.46
    "Birimdik": "18.99%",
    "Mekenim Kyrgyzstan": "21.43%",
    "Mekenchil": "5.26%",
    "Yiman Nuru": "5.33%",
    "Reforma": "1%",  # printed "1 percent"
    "Ata-Meken": "5.74%",
    "Zamandash": "1.01%",
    "Butun Kyrgyzstan": "1.29%",
    "Social Democrats": "0.45%",
    "Meken Yntymagy": "1.63%",
    "Afghan War Veterans": "0.07%",
    "Ordo": "0.38%",
    "Bir Bol": "1.58%",
    "Respublika": "18.91%",
    "Kyrgyzstan": "12.26%",
    "Chon Kazat": "1.28%",
}
NOT_FOUND = ("Osh city", "Batken", "Chui", "Issyk-Kul", "Jalal-Abad", "Naryn", "Osh region")

IN_FORCE = Rules(  # elections.md, "The rules in force in 2020"
    seats=120,
    method="hare",
    threshold="7%",
    threshold_base="participants",
    regional_threshold="0.7%",
    max_seats=65,
)


@pytest.fixture(scope="module")
def kg():
    return Election.load(SEED)


def test_the_seed_holds_the_published_percentages_and_nothing_else(kg):
    assert kg.region_names == ("Bishkek", "Talas") == kg.share_regions
    assert kg.regions_without_votes == NOT_FOUND
    for region, published in (("Bishkek", BISHKEK), ("Talas", TALAS)):
        assert kg.region_info[region]["shares_of"] == "participants"
        assert {p.name: p.regions[region].text for p in kg.parties} == published
    # the lists plus against-all leave about 2% (invalid ballots), as nationally: a base of
    # voters who took part, not of the lists' or valid votes
    for published, against_all, total in ((BISHKEK, "4.52", "98.01"), (TALAS, "1.46", "98.07")):
        summed = sum(Fraction(v[:-1]) for v in published.values()) + Fraction(against_all)
        assert summed == Fraction(total)


def test_the_rules_in_force_fail_three_small_lists_regionally_and_change_no_seat(kg):
    res = allocate(kg, IN_FORCE)
    assert res.as_dict() == {
        "Birimdik": 46,
        "Mekenim Kyrgyzstan": 45,
        "Kyrgyzstan": 16,
        "Butun Kyrgyzstan": 13,
    }
    regional = {
        r.name: [(s.region, s.published) for s in r.shortfalls if s.region]
        for r in res.lists
        if any(s.region for s in r.shortfalls)
    }
    assert regional == {
        "Social Democrats": [("Talas", "0.45%")],
        "Ordo": [("Bishkek", "0.33%"), ("Talas", "0.38%")],
        "Afghan War Veterans": [("Bishkek", "0.42%"), ("Talas", "0.07%")],
    }
    # every one of them is also below 7% nationally
    assert all(r.short_by for r in res.lists if r.name in regional)
    assert res.regional_checked is True and res.regional_unchecked == NOT_FOUND
    assert res.notes == (
        "regional threshold 0.7% checked in Bishkek and Talas only, from published percentages; "
        "not checked in Osh city, Batken, Chui, Issyk-Kul, Jalal-Abad, Naryn and Osh region, "
        "where the seed gives no votes: no list is failed or passed there",
        # "1 percent" may be anything from 0.5% to 1.5%
        "Reforma has 1% in Talas as published, too close to 0.7% to tell at that rounding: "
        "not failed there",
    )


def test_at_a_three_percent_threshold_no_list_is_kept_out_regionally(kg):
    # the nine lists at 3% or more nationally (down to Bir Bol, 3.03%) all have 1.01% or more
    # in both regions
    res = allocate(kg, IN_FORCE.replace(threshold="3%"))
    assert len(res.as_dict()) == 9
    assert not any(s.region for r in res.lists for s in r.shortfalls if r.votes >= 60305)
