"""The real districted seeds: Spain 2023 (Congress) and Poland 2023 (Sejm).

Each seed must give, with the rules of its law, the official seats of every list in every
district, the official totals, and the national sums its sources publish. The sources of
every figure are in seeds/spain-2023.md and seeds/poland-2023.md. Also here: the district
threshold on valid votes (lists + blank ballots), with a hand-worked example.
"""

from pathlib import Path

import numpy as np
import pytest

from simulate import District, Election, InputError, Party, Rules, allocate_districts
from simulate.csvinput import read_election_csv

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def load(name: str) -> Election:
    return Election.from_csv(
        SEEDS / f"{name}-results.csv", district_seats=SEEDS / f"{name}-district-seats.csv"
    )


# The rules of each law (the .md files cite the articles):
# Spain, LOREG art. 163: d'Hondt in each province; a candidacy takes part only with at least
# 3% of the valid votes cast in the district, and valid votes include blank ballots
# (LOREG art. 96.5).
SPAIN = Rules(seats=350, method="dhondt", district_threshold="3%", district_threshold_base="valid")
# Poland, Kodeks wyborczy art. 196 §1 (5% of valid votes nationally for a committee, 8% for a
# coalition committee), art. 197 §1 (a national minority's committee may be exempt), art. 232
# (d'Hondt in each district).
POLAND = Rules(seats=460, method="dhondt", threshold={"party": "5%", "coalition": "8%"})


def mismatches(election: Election, rules: Rules) -> list[tuple[str, str, int, int]]:
    result = allocate_districts(election, rules)
    out = []
    for j, d in enumerate(election.districts):
        assert d.official_seats is not None
        for i, n in enumerate(election.names):
            if n in d.votes and int(result.seats[j, i]) != d.official_seats[n]:
                out.append((d.name, n, int(result.seats[j, i]), d.official_seats[n]))
    return out


# ---------------------------------------------------------------------------------------------
# Spain, Congreso de los Diputados, 23 July 2023


def test_spain_2023_shape():
    """52 districts (50 provinces, Ceuta and Melilla with 1 seat each), 350 seats."""
    spain = load("spain-2023")
    seats = dict(zip(spain.district_names, spain.district_seats().tolist(), strict=True))
    assert len(seats) == 52
    assert sum(seats.values()) == 350
    assert seats["Ceuta"] == seats["Melilla"] == 1
    assert seats["Madrid"] == 37 and seats["Barcelona"] == 32 and seats["Soria"] == 2


def test_spain_2023_every_district_reproduced():
    assert mismatches(load("spain-2023"), SPAIN) == []


def test_spain_2023_official_totals():
    """Seats per national candidacy (the Ministry's file 08, the national rows; the same in
    the Congress's composition): PP 137, PSOE 121, Vox 33, Sumar 31, ERC 7, Junts 7,
    EH Bildu 6, PNV 5, BNG 1, CCa 1, UPN 1."""
    totals = allocate_districts(load("spain-2023"), SPAIN).totals_dict()
    assert {n: s for n, s in totals.items() if s} == {
        "PP": 137,
        "PSOE": 121,
        "VOX": 33,
        "SUMAR": 31,
        "ERC": 7,
        "JxCAT - JUNTS": 7,
        "EH Bildu": 6,
        "EAJ-PNV": 5,
        "B.N.G.": 1,
        "CCa": 1,
        "U.P.N.": 1,
    }


def test_spain_2023_national_sums():
    """The seed's sums equal the national figures of the final count (with the votes from
    abroad): votes per candidacy, blank 200,673 and valid 24,688,087 (seeds/spain-2023.md,
    sources 1 and 3)."""
    spain = load("spain-2023")
    votes = dict(zip(spain.names, spain.votes.tolist(), strict=True))
    assert {n: votes[n] for n in ("PP", "PSOE", "VOX", "SUMAR", "ERC", "JxCAT - JUNTS")} == {
        "PP": 8_160_837,
        "PSOE": 7_821_718,
        "VOX": 3_057_000,
        "SUMAR": 3_044_996,
        "ERC": 466_020,
        "JxCAT - JUNTS": 395_429,
    }
    assert (votes["EH Bildu"], votes["EAJ-PNV"], votes["B.N.G."]) == (335_129, 277_289, 153_995)
    assert (votes["CCa"], votes["U.P.N."], votes["CUP-PR"]) == (116_363, 52_188, 99_644)
    blank = sum(d.blank for d in spain.districts if d.blank is not None)
    assert blank == 200_673
    assert int(spain.votes.sum()) + blank == 24_688_087


def test_spain_2023_three_percent_binds_no_seat():
    """The 3% rule keeps 317 of the 550 district lists out, but none of them would have won a
    seat: without it the seats are the same. The closest: CUP-PR in Lleida, 5,449 of 184,539
    valid votes (2.95%; 5,537 needed)."""
    spain = load("spain-2023")
    with_rule = allocate_districts(spain, SPAIN)
    without = allocate_districts(spain, SPAIN.replace(district_threshold=None))
    assert (with_rule.seats == without.seats).all()
    assert int((with_rule.stood & ~with_rule.took_part).sum()) == 317
    j = spain.district_names.index("Lleida")
    i = spain.names.index("CUP-PR")
    assert int(with_rule.district_base[j]) == 184_539  # 182,480 for lists + 2,059 blank
    assert int(with_rule.district_threshold_votes[j]) == 5_537  # ceil(0.03 × 184,539)
    assert not with_rule.took_part[j, i]
    assert "valid votes (5,449 votes, 5,537 needed)" in with_rule.reasons[j][i][0]


# ---------------------------------------------------------------------------------------------
# Poland, Sejm, 15 October 2023


def test_poland_2023_shape_and_marks():
    poland = load("poland-2023")
    assert len(poland.districts) == 41
    assert int(poland.district_seats().sum()) == 460
    kinds = {p.name: p.kind for p in poland.parties}
    assert kinds["Koalicja Obywatelska"] == kinds["Trzecia Droga"] == "coalition"
    assert kinds["Prawo i Sprawiedliwość"] == "party"
    assert [p.name for p in poland.parties if p.exempt] == ["Mniejszość Niemiecka"]
    # the German minority's committee stood only in district 21 (Opole)
    stood = [d.name for d in poland.districts if "Mniejszość Niemiecka" in d.votes]
    assert stood == ["Okręg 21"]


def test_poland_2023_every_district_reproduced():
    assert mismatches(load("poland-2023"), POLAND) == []


def test_poland_2023_official_totals():
    """PKW: PiS 194, KO 157, Trzecia Droga 65, Nowa Lewica 26, Konfederacja 18."""
    totals = allocate_districts(load("poland-2023"), POLAND).totals_dict()
    assert {n: s for n, s in totals.items() if s} == {
        "Prawo i Sprawiedliwość": 194,
        "Koalicja Obywatelska": 157,
        "Trzecia Droga": 65,
        "Nowa Lewica": 26,
        "Konfederacja Wolność i Niepodległość": 18,
    }


def test_poland_2023_national_sums():
    """Each committee's votes summed over the 41 districts equal the PKW's national figures
    (as infor.pl reported them, seeds/poland-2023.md source 3); valid votes 21,596,674."""
    poland = load("poland-2023")
    votes = dict(zip(poland.names, poland.votes.tolist(), strict=True))
    assert votes == {
        "Prawo i Sprawiedliwość": 7_640_854,
        "Koalicja Obywatelska": 6_629_402,
        "Trzecia Droga": 3_110_670,
        "Nowa Lewica": 1_859_018,
        "Konfederacja Wolność i Niepodległość": 1_547_364,
        "Bezpartyjni Samorządowcy": 401_054,
        "Polska Jest Jedna": 351_099,
        "Mniejszość Niemiecka": 25_778,
        "Ruch Dobrobytu i Pokoju": 24_850,
        "Normalny Kraj": 4_606,
        "Antypartia": 1_156,
        "Ruch Naprawy Polski": 823,
    }
    assert sum(votes.values()) == 21_596_674


def test_poland_2023_thresholds_and_exemption():
    """Who passes: the 5% line is 1,079,834 votes (ceil 0.05 × 21,596,674), the 8% line for
    coalitions 1,727,734; Bezpartyjni Samorządowcy (1.86%) and Polska Jest Jedna (1.63%) miss
    it. The German minority (0.12%) is exempt and takes part in Opole, where its 25,778 votes
    stay below the 12th quotient (Konfederacja's 31,150): no seat, as in the official count."""
    poland = load("poland-2023")
    result = allocate_districts(poland, POLAND)
    passed = {r.name: r.passed for r in result.national.lists}
    assert passed["Bezpartyjni Samorządowcy"] is False
    assert passed["Polska Jest Jedna"] is False
    assert passed["Mniejszość Niemiecka"] is True
    assert (
        "1,079,834 needed"
        in result.national.lists[poland.names.index("Polska Jest Jedna")].reasons[0]
    )
    j = poland.district_names.index("Okręg 21")
    i = poland.names.index("Mniejszość Niemiecka")
    assert result.took_part[j, i] and int(result.seats[j, i]) == 0


# ---------------------------------------------------------------------------------------------
# A district threshold on valid votes (lists + blank ballots)


def one_district(blank: int | None) -> Election:
    return Election(
        name="valid-base",
        parties=(Party("A", 970), Party("C", 30)),
        seats=33,
        districts=(District("X", 33, {"A": 970, "C": 30}, blank=blank),),
    )


def test_valid_base_hand_worked():
    """33 seats, A 970, C 30, blank 20, d'Hondt, 3% in the district.

    On the lists' votes (1,000) C needs ceil(30.00) = 30 and takes part: A's quotients above
    30 are 970/1 … 970/32 (30.31), so the 33 seats are A's 32 and C's 30 (970/33 = 29.39 is
    below it): A 32, C 1. On valid votes (1,020) C needs ceil(30.6) = 31, so A takes all 33.
    """
    rules = Rules(seats=33, method="dhondt", district_threshold="3%")
    lists = allocate_districts(one_district(20), rules)
    assert lists.seats.tolist() == [[32, 1]]
    assert lists.district_threshold_votes.tolist() == [30]
    valid = allocate_districts(one_district(20), rules.replace(district_threshold_base="valid"))
    assert valid.seats.tolist() == [[33, 0]]
    assert valid.district_base.tolist() == [1020]
    assert valid.district_threshold_votes.tolist() == [31]
    assert valid.reasons[0][1] == (
        "2.94% < 3% of the district's valid votes (30 votes, 31 needed)",
    )
    assert (
        "3% of valid votes in a district"
        in rules.replace(district_threshold_base="valid").describe()
    )


def test_valid_base_needs_blank_counts():
    rules = Rules(
        seats=33, method="dhondt", district_threshold="3%", district_threshold_base="valid"
    )
    with pytest.raises(InputError, match=r"district 'X': no blank count"):
        allocate_districts(one_district(None), rules)


def test_valid_base_bad_name():
    with pytest.raises(InputError, match=r"district_threshold_base: 'blank' is not one of"):
        Rules(seats=3, district_threshold_base="blank")


def test_blank_column_read_and_checked(tmp_path):
    results = tmp_path / "r.csv"
    results.write_text("district,list,votes\nN,A,10\nN,B,5\nS,A,3\n", encoding="utf-8")
    seats = tmp_path / "s.csv"
    seats.write_text("district,seats,blank\nN,2,4\nS,1,0\n", encoding="utf-8")
    got = read_election_csv(results, seats)
    assert [(d.name, d.blank) for d in got["districts"]] == [("N", 4), ("S", 0)]
    seats.write_text("district,seats,blank\nN,2,4\nS,1,-1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"s\.csv: line 3, column 3 \(blank\): '-1' is negative"):
        read_election_csv(results, seats)
    seats.write_text("district,seats\nN,2\nS,1\n", encoding="utf-8")  # no column: no counts
    assert [d.blank for d in read_election_csv(results, seats)["districts"]] == [None, None]


def test_blank_in_a_seed_district_table(tmp_path):
    seed = tmp_path / "seed.toml"
    seed.write_text(
        'name = "t"\n[[district]]\nname = "N"\nseats = 2\nblank = 7\nvotes = {A = 10, B = 5}\n',
        encoding="utf-8",
    )
    assert Election.load(seed).districts[0].blank == 7
    seed.write_text(
        'name = "t"\n[[district]]\nname = "N"\nseats = 2\nblank = -7\nvotes = {A = 10}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"district 'N': blank: must not be negative"):
        Election.load(seed)


def test_seed_arrays_agree_with_rows():
    """The district arrays are the CSV rows (a guard against reordering)."""
    spain = load("spain-2023")
    j = spain.district_names.index("Madrid")
    row = spain.district_votes()[j]
    assert int(row[spain.names.index("PP")]) == 1_463_183
    assert int(row[spain.names.index("PSOE")]) == 1_004_599
    assert np.count_nonzero(row) == 11
