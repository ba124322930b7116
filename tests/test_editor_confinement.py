"""What a village editor can do (both languages of their own village) and what they see in
choosers (only their village)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from core.villages.models import Village
from core.website.models import VillageHomePage
from tests.test_isolation_sweep import png_bytes

pytestmark = pytest.mark.django_db


def homes(village):
    return (
        VillageHomePage.objects.get(village=village, locale__language_code="id"),
        VillageHomePage.objects.get(village=village, locale__language_code="en"),
    )


def test_editor_edits_own_home_pages_in_both_languages(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    home_id, home_en = homes(kreo)
    for page in (home_id, home_en):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page.locale
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[home_id.pk]),
        nested_form_data(
            {
                "title": "Desa Kreo",
                "slug": home_id.slug,
                "head_name": "Bapak Kepala Desa",
                "intro": rich_text("<p>Sugeng rawuh.</p>"),
                "quick_links": streamfield([]),
                "action-publish": "1",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    home_id.refresh_from_db()
    assert home_id.head_name == "Bapak Kepala Desa" and home_id.live


def test_editor_can_add_pages_under_own_home_only(client, kreo, kandang, kreo_editor):
    client.force_login(kreo_editor)
    kreo_home, _ = homes(kreo)
    kandang_home, _ = homes(kandang)
    add = "wagtailadmin_pages:add_subpage"
    response = client.get(reverse(add, args=[kreo_home.pk]))
    # with one creatable type Wagtail goes straight to its form, still under Kreo's home
    assert response.status_code == 200 or response["Location"].endswith(f"/{kreo_home.pk}/")
    assert client.get(reverse(add, args=[kandang_home.pk])).status_code in (403, 404)


def make_media(village, title):
    image = get_image_model().objects.create(
        title=title, collection=village.collection, file=ContentFile(png_bytes(), name="a.png")
    )
    document = get_document_model().objects.create(
        title=title, collection=village.collection, file=ContentFile(b"%PDF-1.4", name="a.pdf")
    )
    return image, document


@pytest.mark.parametrize("url_name", ["wagtailimages_chooser:choose", "wagtaildocs_chooser:choose"])
def test_media_choosers_show_only_own_village(client, kreo, kandang, kreo_editor, url_name):
    make_media(kreo, "Foto Balai Desa Kreo")
    make_media(kandang, "Foto Balai Desa Kandang")
    client.force_login(kreo_editor)
    for query in ({}, {"q": "Foto"}):
        html = client.get(reverse(url_name), query).content.decode()
        assert "Balai Desa Kreo" in html
        assert "Balai Desa Kandang" not in html


def test_page_chooser_search_only_own_village(client, kreo, kandang, kreo_editor):
    client.force_login(kreo_editor)
    html = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Desa"}).content.decode()
    assert "Desa Kreo" in html
    assert "Desa Kandang" not in html


def test_district_admin_creates_village_through_provisioning(client, district_admin):
    client.force_login(district_admin)
    kecamatan = Village.objects.get(code="33.27.07.2013").kecamatan
    response = client.post(
        reverse("villages:add"),
        {
            "code": "33.27.07.2001",
            "name": "Kecepit",
            "kind": "desa",
            "kecamatan": kecamatan.pk,
            "hostname": "kecepit.localhost",
            "head_title": "Kepala Desa",
            "address": "",
            "phone": "",
            "whatsapp": "",
            "email": "",
            "latitude": "",
            "longitude": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    village = Village.objects.get(code="33.27.07.2001")
    assert village.site.hostname == "kecepit.localhost"
    assert village.home_pages.count() == 2
    assert village.editors_group is not None and village.collection is not None


def test_village_admin_is_for_district_admins_only(client, kreo_editor, kreo):
    client.force_login(kreo_editor)
    for url in (
        reverse("villages:index"),
        reverse("villages:edit", args=[kreo.pk]),
        reverse("kecamatan:index"),
    ):
        assert client.get(url).status_code in (302, 403)
