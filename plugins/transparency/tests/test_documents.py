"""The documents of a year's budget (semester and year-end realisation reports...) on the
public page, grouped by kind; another village's and another year's documents never."""

import datetime

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from plugins.transparency.models import BudgetDocument

from .conftest import add_line, make_page, make_version

pytestmark = pytest.mark.django_db


def document(village, budget, kind, title, date=None):
    file = get_document_model().objects.create(
        title=title,
        collection=village.collection,
        file=ContentFile(b"%PDF-1.4 laporan", name="laporan.pdf"),
    )
    return BudgetDocument.objects.create(
        village=village, budget=budget, kind=kind, title=title, date=date, document=file
    )


def test_reports_are_listed_by_kind(client, kreo, kandang):
    page = make_page(kreo)
    version = make_version(kreo, year=2025, status="published")
    add_line(version, "4.2.1.01", "1000000")
    document(
        kreo, version.budget, "semester", "Laporan semester I 2025", datetime.date(2025, 7, 10)
    )
    document(kreo, version.budget, "akhir_tahun", "Laporan akhir tahun 2025")
    other_year = make_version(kreo, year=2024, status="published")
    document(kreo, other_year.budget, "semester", "Laporan semester I 2024")
    theirs = make_version(kandang, year=2025, status="published")
    document(kandang, theirs.budget, "semester", "Laporan Kandang")
    html = client.get(page.url, HTTP_HOST=kreo.site.hostname).content.decode()
    listing = html.split('class="tp-documents"')[1].split("</ul></li></ul>")[0]
    assert "Laporan realisasi semester pertama" in listing
    assert "Laporan semester I 2025" in listing and "10 Juli 2025" in listing
    assert "Laporan realisasi akhir tahun" in listing and "Laporan akhir tahun 2025" in listing
    assert "2024" not in listing and "Kandang" not in html
    html = client.get(page.url + "?tahun=2024", HTTP_HOST=kreo.site.hostname).content.decode()
    assert "Laporan semester I 2024" in html and "Laporan semester I 2025" not in html
