"""The public village data page: accessible SVG charts with the numbers in tables."""

from __future__ import annotations

import random

from core.demo.villagedata import fill_village_data
from core.villagedata.models import PopulationFigure, VillageDataPage


def _page(village):
    home = village.home_pages.get(locale__language_code="id")
    page = VillageDataPage(title="Data Desa", slug="data-desa")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_charts_and_tables(client, villages):
    kreo, kandang = villages
    fill_village_data(kreo, random.Random(1))
    fill_village_data(kandang, random.Random(2))
    _page(kreo)
    body = client.get("/data-desa/", HTTP_HOST="kreo.localhost").content.decode()
    assert body.count('<svg role="img"') >= 6
    assert "<table" in body and "<caption" in body and 'scope="row"' in body
    total = sum(
        PopulationFigure.objects.filter(
            village=kreo, year=2025, category="jenis_kelamin"
        ).values_list("value", flat=True)
    )
    assert f"{total:,}".replace(",", ".") in body  # Indonesian grouping
    kandang_total = sum(
        PopulationFigure.objects.filter(
            village=kandang, year=2025, category="jenis_kelamin"
        ).values_list("value", flat=True)
    )
    assert f"{kandang_total:,}".replace(",", ".") not in body
    older = client.get("/data-desa/?tahun=2024", HTTP_HOST="kreo.localhost").content.decode()
    assert '<option value="2024" selected>' in older


def test_population_categories_sum_to_the_same_total(villages):
    fill_village_data(villages[0], random.Random(3))
    totals = {}
    for fig in PopulationFigure.objects.filter(village=villages[0], year=2025):
        totals[fig.category] = totals.get(fig.category, 0) + fig.value
    assert len(set(totals.values())) == 1
