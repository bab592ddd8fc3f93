"""The district figures: the seat table's cells and size, the changes-by-district bars, and
the Axes contract. The example (d'Hondt, hand-worked): D1, 3 seats, A 600, B 310, C 90 ->
A 2, B 1; D2, 2 seats, A 200, B 390 (C did not stand there) -> B 390, A 200: A 1, B 1; D3,
1 seat, A 50, B 40, C 30 -> A 1. Nationally A 850, B 740, C 120 of 1,710 votes (49.7%,
43.3%, 7.0%)."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from simulate.districts import allocate_districts
from simulate.election import Election
from simulate.plots.district_changes import (
    district_deltas,
    figure_district_changes,
    plot_district_changes,
)
from simulate.plots.districts import (
    ROW,
    figure_district_seats,
    plot_district_seats,
    seat_table_size,
    shown_lists,
)
from simulate.rules import Rules
from simulate.scenario.compare import compare


class Alt:
    def __init__(self, label, rules):
        self.label, self.rules = label, rules


def election(districts=3):
    tables = [
        {"name": "D1", "seats": 3, "votes": {"A": 600, "B": 310, "C": 90}},
        {"name": "D2", "seats": 2, "votes": {"A": 200, "B": 390}},
        {"name": "D3", "seats": 1, "votes": {"A": 50, "B": 40, "C": 30}},
    ]
    for k in range(3, districts):
        tables.append({"name": f"X{k}", "seats": 1, "votes": {"A": 10, "B": 5}})
    return Election.from_mapping({"name": "example", "district": tables}, "example")


def cells(ax):
    return {t.get_label()[len("_cell:") :]: t.get_text() for t in ax.texts if t.get_label()}


def test_seat_table_cells():
    e = election()
    r = allocate_districts(e, Rules(seats=6, method="dhondt", threshold="8%"))
    # C: 120 of 1,710 votes (7.0%) misses 8%: it stood in D1 and D3 but took part in neither
    assert [x.passed for x in r.national.lists] == [True, True, False]
    ax = plot_district_seats(r)
    got = cells(ax)
    assert got["D1:A"] == "2" and got["D1:B"] == "1"
    assert got["D2:A"] == "1" and got["D2:B"] == "1"
    assert got["D3:A"] == "1" and got["D3:B"] == "0"
    assert got["total:A"] == "4" and got["total:B"] == "2"
    assert "D1:C" not in got  # C won no seat anywhere: no column
    assert shown_lists(r) == [0, 1]
    assert isinstance(ax.figure, Figure)


def test_seat_table_marks_lists_that_did_not_stand_or_took_no_part():
    e = election()
    r = allocate_districts(e, Rules(seats=6, method="dhondt", district_threshold="35%"))
    # 35% of the district's votes: D1 A 60% passes, B 31% and C 9% do not -> A 3;
    # D2 (C did not stand) A 200 of 590 (33.9%) does not, B 66.1% does -> B 2;
    # D3 A 50 of 120 (41.7%) passes, B 33.3% and C 25% do not -> A 1
    got = cells(plot_district_seats(r))
    assert got["D1:A"] == "3" and got["D1:B"] == "–"
    assert got["D2:A"] == "–" and got["D2:B"] == "2" and got["D3:B"] == "–"
    assert got["total:A"] == "4" and got["total:B"] == "2"
    r2 = allocate_districts(e, Rules(seats=6, method="sainte-lague"))
    # Sainte-Laguë in D3 (one seat): A 50 -> A; in D1: A 600, B 310, A 200 -> A 2, B 1; D2:
    # B 390, A 200 -> B 1, A 1; C wins nothing, so its column is not shown
    assert "D2:C" not in cells(plot_district_seats(r2))


def test_seat_table_grows_with_its_districts():
    small = allocate_districts(election(3), Rules(seats=6, method="dhondt"))
    big = allocate_districts(election(52), Rules(seats=55, method="dhondt"))
    (w1, h1), (w2, h2) = seat_table_size(small), seat_table_size(big)
    assert w2 >= w1  # the same lists; longer district names ("X51 (1)")
    assert h2 - h1 == pytest.approx(49 * ROW)
    fig = figure_district_seats(big, label="d'Hondt")
    assert fig.get_size_inches()[1] > 49 * ROW
    assert fig.texts[0].get_text() == "2 lists win seats in 52 districts under “d'Hondt”"


def test_changes_by_district():
    e = election()
    rules = Rules(seats=6, method="dhondt")
    c = compare(e, rules, [Alt("30%", rules.replace(threshold="30%"))])
    (alt,) = c.alternatives
    base = c.baseline.districts
    assert base is not None and alt.districts is not None
    # 30%: only C (7.0%) misses it, and C won nothing: no change
    assert np.all(district_deltas(base, alt.districts) == 0)
    c = compare(e, rules, [Alt("SL", rules.replace(method="sainte-lague"))])
    (alt,) = c.alternatives
    # Sainte-Laguë: D1 A 600, B 310, A 200 -> A 2, B 1 (same); D2 B 1, A 1 (same); D3 A (same)
    assert alt.district_changes == (0, 0, 0)
    c = compare(e, rules, [Alt("A alone", rules.replace(threshold="45%"))])
    (alt,) = c.alternatives
    # 45%: A (49.7%) alone passes: all six seats; B loses 1 in D1 and 1 in D2 to A
    assert alt.district_changes == (1, 1, 0)
    ax = plot_district_changes(c, "A alone")
    bars = {
        p.get_label()[len("_bar:") :]: p.get_width()
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_label().startswith("_bar:")
    }
    assert bars == {"D1:A": 1, "D1:B": 1, "D2:A": 1, "D2:B": 1}
    fig = figure_district_changes(c, "A alone")
    assert fig.texts[0].get_text() == "“A alone” moves 2 district seats in 2 of 3 districts"
    with pytest.raises(ValueError):
        figure_district_changes(c, "no such rule set")
