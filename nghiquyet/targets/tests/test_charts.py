"""Charts with nothing to draw say so ("Chưa có số liệu") instead of an empty axis."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from nghiquyet.core.tests.webhelpers import Q3, TODAY, reopen, submit
from nghiquyet.targets import charts


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _reopened(request):
    """Figures of Q3 are written after their reporting window closed:
    entry reopened from above for the tests that have the tree."""
    if "tree" in request.fixturenames:
        reopen(request.getfixturevalue("tree").root, Q3)


def test_has_data():
    assert not charts.has_data(None)
    assert not charts.has_data(
        charts.values_by_period(["Quý I/2026", "Quý II/2026"], [None, None], None, "%")
    )
    assert not charts.has_data(charts.values_by_unit([], [], Decimal(5), "%"))
    assert charts.has_data(
        charts.values_by_period(["Quý I/2026", "Quý II/2026"], [None, Decimal(0)], None, "%")
    )
    assert charts.has_data({"series": [{"data": [{"value": 3}]}]})
    assert not charts.has_data({"series": [{"data": [{"value": None}]}]})


@pytest.mark.django_db
def test_target_without_results_shows_no_data_instead_of_a_chart(client, users, tree, resolution):
    client.force_login(users.viewer)
    url = f"/so-lieu/chi-tieu/{resolution.new_members.pk}/?don_vi={tree.province.pk}&ky={Q3.key()}"
    html = client.get(url).content.decode()
    assert html.count("Chưa có số liệu") == 2 and "data-chart=" not in html
    submit(resolution.new_members, tree.commune_a, Q3, 7, users.reporter)
    html = client.get(url).content.decode()
    assert "Chưa có số liệu" not in html and html.count("data-chart=") == 2


@pytest.mark.django_db
def test_unit_figures_without_results_show_no_data(client, users, tree, resolution):
    client.force_login(users.viewer)
    html = client.get(f"/don-vi/{tree.commune_a.pk}/").content.decode()
    assert 'data-chart="chart-siblings"' not in html and "Chưa có số liệu" in html


def test_an_incomplete_period_is_marked_not_drawn_as_a_plunge():
    # Q1–Q3 final (40, 42, 45); Q4 still open with 1 of 69 units in (3).
    labels = ["Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026 (tạm tính)"]
    option = charts.values_by_period(
        labels,
        [Decimal(40), Decimal(42), Decimal(45), Decimal(3)],
        Decimal(50),
        "tỷ đồng",
        [False, False, False, True],
    )
    final, partial = option["series"]
    # The final line stops at Q3: no fall to 3 on it.
    assert final["data"] == [40.0, 42.0, 45.0, None]
    # The open quarter: a dashed line from Q3's figure, hollow points, a band named "Tạm tính".
    assert partial["name"] == charts.PROVISIONAL
    assert partial["data"] == [None, None, 45.0, 3.0]
    assert partial["lineStyle"] == {"type": "dashed"} and partial["symbol"] == "emptyCircle"
    band = partial["markArea"]["data"][0]
    assert (band[0]["name"], band[0]["xAxis"], band[1]["xAxis"]) == ("Tạm tính", labels[3], labels[3])
    assert option["legend"]["show"] is True
    # Every period final: one line, no band, no legend.
    option = charts.values_by_period(
        labels[:3], [Decimal(40), Decimal(42), Decimal(45)], None, "", [False] * 3
    )
    assert len(option["series"]) == 1 and option["legend"]["show"] is False
