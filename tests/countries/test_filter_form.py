"""The filter form on the real dataset: one level per option list, options that
would give nothing disabled, and empty parameters redirected out of the URL."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

LISTS = ["/", "/missions/", "/timeline/"]


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, name
    return match.group(1)


def _groups(select: str) -> dict[str, list[str]]:
    """optgroup label → the option labels in it, counts left off."""
    return {
        label: re.findall(r">([^<(]+?) \(\d+\)</option>", body)
        for label, body in re.findall(
            r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S
        )
    }


@pytest.mark.parametrize("path", LISTS)
def test_sub_regions_are_grouped_by_region_one_level_per_group(client, real_data, path):
    groups = _groups(_select(client.get(path).content.decode(), "subregion"))
    assert {"Caribbean", "Central America", "South America"} <= set(groups["Americas"])
    assert "Eastern Africa" in groups["Africa"]
    # The wider M49 sub-regions stay usable, apart from the areas inside them.
    assert "Latin America and the Caribbean" not in groups["Americas"]
    assert "Sub-Saharan Africa" not in groups["Africa"]
    assert "Latin America and the Caribbean" in groups["Wider sub-regions"]


def test_options_that_would_give_no_rows_are_disabled(client, real_data):
    html = client.get("/missions/?region=africa").content.decode()
    subregions = _select(html, "subregion")
    assert re.search(r'value="caribbean" disabled>Caribbean \(0\)<', subregions)
    assert re.search(r'value="western-africa">Western Africa \([1-9]', subregions)
    # The region chosen stays selectable even where other filters empty it.
    html = client.get("/missions/?region=europe&status=phasing-out").content.decode()
    assert re.search(r'value="europe" selected>Europe \(0\)<', _select(html, "region"))


@pytest.mark.parametrize("path", LISTS)
def test_empty_parameters_are_redirected_away(client, real_data, path):
    response = client.get(f"{path}?region=africa&subregion=&country=&year_min=&q=")
    assert response.status_code == 302
    assert response["Location"] == f"{path}?region=africa"
    response = client.get(f"{path}?region=&q=+")
    assert response.status_code == 302 and response["Location"] == path
    assert client.get(f"{path}?region=africa").status_code == 200


def test_countries_are_grouped_by_region(client, real_data):
    groups = _groups(_select(client.get("/missions/").content.decode(), "country"))
    assert "Guatemala" in groups["Americas"] and "Angola" in groups["Africa"]
    assert "Guatemala" not in groups["Africa"]
