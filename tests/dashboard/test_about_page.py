"""The about page `/about/`."""

from __future__ import annotations

import pytest

from dashboard.services import statistics_refresh
from tests.pages_data import make_host, queries_at_two_sizes

pytestmark = pytest.mark.django_db


def test_explains_definitions_disagreements_coverage_and_citing(client):
    make_host("GTM", "Guatemala", workers=412, doctors=333)
    statistics_refresh()
    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Medical worker",
        "Phasing out",
        "bilateral_paid",
        "When sources disagree",
        "Coverage by year",
        "How to cite",
        "Newest staffing figure: 1 Jun 2025",
    ):
        assert text in html, text
    coverage = html.split("Coverage table")[1].split("</table>")[0]
    assert "2025" in coverage and "412" in coverage


def test_works_on_an_empty_database(client):
    response = client.get("/about/")
    assert response.status_code == 200
    assert "none yet" in response.content.decode()


def test_query_count_does_not_grow_with_data(client):
    few, many = queries_at_two_sizes(client, "/about/")
    assert few == many


def test_coverage_chart_and_table_are_one_switch_apart(client, real_data):
    html = client.get("/about/").content.decode()
    assert 'data-chart="coverage-chart" data-table="coverage-table"' in html
    assert '<div id="coverage-table" class="table-panel">' in html
    coverage = html.split('id="coverage-heading"')[1].split('class="chart-strip"')[0]
    assert "<details" not in coverage
