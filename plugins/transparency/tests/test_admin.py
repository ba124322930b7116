"""The admin of budgets: scoped lists and form choices, copying lines, switched off → 403."""

import pytest
from django.urls import reverse

from plugins.transparency.models import Account, BudgetLine

from .conftest import add_activity, add_line, make_version, switch

pytestmark = pytest.mark.django_db

VIEWSETS = (
    "transparency_budgets",
    "transparency_versions",
    "transparency_activities",
    "transparency_lines",
    "transparency_realisations",
    "transparency_developments",
    "transparency_progress",
)


def test_every_index_and_add_form_opens_and_shows_only_own_village(
    client, kreo, kandang, kreo_editor
):
    theirs = make_version(kandang, legal_basis="RAHASIA-KANDANG Perdes")
    add_activity(theirs, "2.3", "RAHASIA-KANDANG kegiatan")
    mine = make_version(kreo, legal_basis="Perdes Kreo 1/2025")
    add_activity(mine, "2.3", "Kegiatan Kreo")
    client.force_login(kreo_editor)
    for name in VIEWSETS:
        for view in ("index", "add"):
            response = client.get(reverse(f"{name}:{view}"))
            assert response.status_code == 200, (name, view)
            assert "RAHASIA-KANDANG" not in response.content.decode(), (name, view)
    html = client.get(reverse("transparency_lines:add")).content.decode()
    assert "Kegiatan Kreo" in html  # the activity choices are the village's own
    assert "Perdes Kreo" in client.get(reverse("transparency_versions:index")).content.decode()


def test_other_villages_objects_are_404(client, kreo, kandang, kreo_editor):
    theirs = make_version(kandang)
    client.force_login(kreo_editor)
    assert client.get(reverse("transparency_versions:edit", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("transparency_versions:copy_lines", args=[theirs.pk]), {})
    assert response.status_code == 404


def test_copy_last_years_lines_from_the_admin(client, kreo, kandang, kreo_editor):
    last = make_version(kreo, year=2024)
    roads = add_activity(last, "2.3", "Jalan usaha tani")
    add_line(last, "5.3.5.03", "1000000", activity=roads, description="Semen")
    add_line(last, "4.2.1.01", "800000000", description="Dana Desa")
    target = make_version(kreo, year=2025)
    other = make_version(kandang, year=2023)
    client.force_login(kreo_editor)
    url = reverse("transparency_versions:copy_lines", args=[target.pk])
    html = client.get(url).content.decode()
    assert f'value="{last.pk}"' in html and f'value="{other.pk}"' not in html
    # another village's version is not a valid choice
    response = client.post(url, {"source": other.pk})
    assert response.status_code == 200 and not target.lines.exists()
    response = client.post(url, {"source": last.pk})
    assert response.status_code == 302, response.content.decode()[-3000:]
    copied = BudgetLine.objects.filter(version=target)
    assert sorted(copied.values_list("description", flat=True)) == ["Dana Desa", "Semen"]
    assert set(copied.values_list("amount", flat=True)) == {0}
    response = client.post(url, {"source": last.pk})  # target not empty any more
    assert "sudah berisi baris anggaran" in response.content.decode()


def test_publishing_stamps_the_time(kreo):
    version = make_version(kreo)
    assert version.published_at is None
    version.status = "published"
    version.save()
    assert version.published_at is not None


def test_admin_refused_when_plugin_off(client, kreo, kreo_editor):
    switch(kreo, False)
    client.force_login(kreo_editor)
    for name in VIEWSETS:
        assert client.get(reverse(f"{name}:index")).status_code == 403


def test_version_inspect_shows_totals_and_reconciliation_warnings(client, kreo, kreo_editor):
    version = make_version(kreo, declared_income=1000)
    add_line(version, "4.2.1.01", "800")
    client.force_login(kreo_editor)
    html = client.get(reverse("transparency_versions:inspect", args=[version.pk])).content.decode()
    assert "Rp 800" in html and "reconcile-warnings" in html
    assert "menurut dokumen Rp 1.000" in html
    assert reverse("transparency_versions:copy_lines", args=[version.pk]) in html


def version_form(version, **changes):
    data = {
        "village": version.village_id,
        "budget": version.budget_id,
        "number": version.number,
        "kind": version.kind,
        "legal_basis": "Perdes No. 1 Tahun 2025",
        "legal_date": "",
        "document": "",
        "status": "published",
        "declared_income": "",
        "declared_spending": "",
        "declared_financing_in": "",
        "declared_financing_out": "",
    }
    data.update(changes)
    return data


def test_only_moderators_publish(client, kreo, kreo_editor, kreo_moderator):
    version = make_version(kreo)
    url = reverse("transparency_versions:edit", args=[version.pk])
    client.force_login(kreo_editor)
    assert "Hanya moderator desa yang dapat menerbitkan" in client.get(url).content.decode()
    client.post(url, version_form(version))
    version.refresh_from_db()
    assert version.legal_basis == "Perdes No. 1 Tahun 2025" and version.status == "draft"
    client.force_login(kreo_moderator)
    response = client.post(url, version_form(version))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published" and version.published_at is not None


def test_lines_of_a_published_version_are_locked(client, kreo, kreo_editor):
    version = make_version(kreo, status="published")
    client.force_login(kreo_editor)
    response = client.post(
        reverse("transparency_lines:add"),
        {
            "village": kreo.pk,
            "version": version.pk,
            "account": Account.resolve("4.2.1.01").pk,
            "description": "Tambahan diam-diam",
            "amount": "1000",
            "order": 0,
        },
    )
    assert "sudah diterbitkan dan tidak diubah lagi" in response.content.decode()
    assert not BudgetLine.objects.filter(description="Tambahan diam-diam").exists()
