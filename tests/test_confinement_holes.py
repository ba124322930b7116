"""Holes found by probing the admin as Kreo's editor, each closed for its whole class of views.

* Wagtail's admin API (``/admin/api/main/…``): every endpoint lists, searches and finds only the
  user's villages' objects.
* Chooser "chosen" views: ids outside the user's villages (or not ids at all) answer 404.
* wagtail-localize's translations report and the tag autocomplete: scoped to the user's villages.
* The dashboard counts the user's villages, not the district.
* Bulk actions: "select all" (``id=all``) works on the user's own listings and never reaches
  another village; malformed ids answer 404 instead of 500.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import get_resolver
from wagtail import hooks
from wagtail.admin.api.urls import admin_api
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from core.confinement.api import VillageScopedEndpoint
from core.confinement.middleware import chosen_view_model
from core.confinement.wagtail_hooks import keep_bulk_action_in_villages
from core.villages.lookup import pages_of_villages_q
from core.website.models import NewsPage, VillageHomePage
from tests.conftest import make_user
from tests.sample_plugin.models import SamplePage
from tests.test_isolation_sweep import png_bytes, walk

pytestmark = pytest.mark.django_db

MARKER = "RAHASIA-KANDANG"
HOST = {"HTTP_HOST": "kreo.localhost"}


def home_of(village, language="id"):
    return VillageHomePage.objects.get(village=village, locale__language_code=language)


def add_page(village, title, live=True, model=SamplePage, **fields):
    page = model(title=title, slug=re.sub(r"\W+", "-", title.lower()), live=live, **fields)
    home_of(village).add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return page


def add_media(village, title):
    image = get_image_model().objects.create(
        title=f"{title} foto",
        collection=village.collection,
        file=ContentFile(png_bytes(), name="foto.png"),
    )
    document = get_document_model().objects.create(
        title=f"{title} dokumen",
        collection=village.collection,
        file=ContentFile(b"%PDF-1.4 isi", name="dokumen.pdf"),
    )
    return {"images": image, "documents": document}


@pytest.fixture
def media(kreo, kandang):
    return add_media(kreo, "Balai Kreo"), add_media(kandang, MARKER)


def text(response) -> str:
    return response.content.decode(errors="replace")


# -- 1. Wagtail's admin API -----------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_admin_api_media_only_own_village(client, media, kreo_editor, district_admin, endpoint):
    own, other = media[0][endpoint], media[1][endpoint]
    base = f"/admin/api/main/{endpoint}/"
    client.force_login(kreo_editor)
    for query in ("", "?search=foto", "?search=dokumen", f"?search={MARKER}", "?limit=20"):
        response = client.get(base + query, **HOST)
        assert response.status_code == 200, query
        assert MARKER not in text(response), query
    listing = client.get(base, **HOST).json()
    assert [item["id"] for item in listing["items"]] == [own.pk]
    assert client.get(f"{base}{other.pk}/", **HOST).status_code == 404
    assert client.get(f"{base}find/?id={other.pk}", **HOST).status_code == 404
    assert client.get(f"{base}find/?id=all", **HOST).status_code == 404
    detail = client.get(f"{base}{own.pk}/", **HOST)
    assert detail.status_code == 200 and "Balai Kreo" in text(detail)

    client.force_login(district_admin)
    ids = {item["id"] for item in client.get(base, **HOST).json()["items"]}
    assert {own.pk, other.pk} <= ids
    assert client.get(f"{base}{other.pk}/", **HOST).status_code == 200


def test_admin_api_pages_only_own_village(client, kreo, kandang, kreo_editor, district_admin):
    """Pages were already cut down by Wagtail's permission policy; kept here as a guard."""
    draft = add_page(kandang, f"{MARKER} draf", live=False)
    own = add_page(kreo, "Profil Kreo")
    client.force_login(kreo_editor)
    root = Page.get_first_root_node()
    for query in ("", f"?search={MARKER}", "?search=draf", f"?child_of={root.pk}", "?limit=20"):
        response = client.get(f"/admin/api/main/pages/{query}", **HOST)
        assert response.status_code == 200, query
        assert MARKER not in text(response) and "Kandang" not in text(response), query
    children = client.get(f"/admin/api/main/pages/?child_of={root.pk}", **HOST).json()
    assert {item["id"] for item in children["items"]} == {home_of(kreo).pk, home_of(kreo, "en").pk}
    for page in (draft, home_of(kandang), home_of(kandang, "en")):
        assert client.get(f"/admin/api/main/pages/{page.pk}/", **HOST).status_code == 404
        assert client.get(f"/admin/api/main/pages/find/?id={page.pk}", **HOST).status_code == 404
    assert client.get(f"/admin/api/main/pages/{own.pk}/", **HOST).status_code == 200
    assert client.get("/admin/api/main/pages/find/?id=all", **HOST).status_code == 404

    client.force_login(district_admin)
    assert client.get(f"/admin/api/main/pages/{draft.pk}/", **HOST).status_code == 200


def test_every_admin_api_endpoint_is_village_scoped():
    """Fails loudly if Wagtail's router changes (the scoping hook replaces the classes in its
    ``_endpoints``) or an endpoint is added after the hook without being scoped."""
    assert {"pages", "images", "documents"} <= set(admin_api._endpoints)
    for name, endpoint in admin_api._endpoints.items():
        assert issubclass(endpoint, VillageScopedEndpoint), name
    views = [
        (route, pattern.callback)
        for route, pattern in walk(get_resolver().url_patterns)
        if route.startswith("admin/api/")
    ]
    assert len(views) >= 9
    for route, callback in views:
        assert issubclass(callback.cls, VillageScopedEndpoint), route


# -- 2. Chooser "chosen" views --------------------------------------------------------------------


def test_page_chosen_multiple_refuses_other_villages(client, kreo, kandang, kreo_editor):
    draft = add_page(kandang, f"{MARKER} draf", live=False)
    own = add_page(kreo, "Profil Kreo")
    url = "/admin/choose-page/chosen-multiple/"
    client.force_login(kreo_editor)
    client.raise_request_exception = False
    for ids in ([draft.pk], [home_of(kandang).pk], [own.pk, draft.pk], ["abc"], [own.pk, "1x"]):
        response = client.get(url, {"id": ids}, **HOST)
        assert response.status_code == 404, ids
        assert MARKER not in text(response)
    response = client.get(url, {"id": [own.pk, home_of(kreo).pk]}, **HOST)
    assert response.status_code == 200 and "Profil Kreo" in text(response)


def chosen_views():
    for route, pattern in walk(get_resolver().url_patterns):
        model = chosen_view_model(pattern.callback)
        if model is not None:
            yield route, model


def test_every_chosen_view_refuses_other_villages(client, kandang, media, kreo_editor):
    """Every chooser "chosen" view in the URL conf (pages, images, documents, and snippets or
    collections as soon as they get a chooser) is covered by the middleware's rule."""
    other = {
        Page: home_of(kandang),
        get_image_model(): media[1]["images"],
        get_document_model(): media[1]["documents"],
    }
    client.force_login(kreo_editor)
    client.raise_request_exception = False
    routes = list(chosen_views())
    assert len(routes) >= 5, routes
    for route, model in routes:
        target = next((obj for klass, obj in other.items() if issubclass(model, klass)), None)
        assert target is not None, f"no object of another village to try on {route}"
        if "<str:pk>" in route:
            urls = [route.replace("<str:pk>", str(target.pk)), route.replace("<str:pk>", "x1")]
        else:
            urls = [f"{route}?id={target.pk}", f"{route}?id=abc"]
        for url in urls:
            response = client.get(f"/{url}", **HOST)
            assert response.status_code == 404, (url, response.status_code)


def test_chosen_views_still_answer_for_own_objects(client, media, kreo_editor):
    own = media[0]
    client.force_login(kreo_editor)
    for url in (
        f"/admin/images/chooser/chosen/{own['images'].pk}/",
        f"/admin/images/chooser/chosen-multiple/?id={own['images'].pk}",
        f"/admin/documents/chooser/chosen/{own['documents'].pk}/",
        f"/admin/documents/chooser/chosen-multiple/?id={own['documents'].pk}",
    ):
        response = client.get(url, **HOST)
        assert response.status_code == 200 and "Balai Kreo" in text(response), url


# -- 3. wagtail-localize's translations report ---------------------------------------------------


def test_translations_report_scoped(client, kreo, kandang, kreo_editor, district_admin):
    kandang_en = home_of(kandang, "en")
    kreo_en = home_of(kreo, "en")
    urls = (
        "/admin/localize/reports/translations/",
        "/admin/localize/reports/translations/results/",
    )
    client.force_login(kreo_editor)
    for url in urls:
        response = client.get(url, **HOST)
        assert response.status_code == 200, url
        assert f"/admin/pages/{kandang_en.pk}/" not in text(response), url
        assert "Kandang" not in text(response), url
        assert f"/admin/pages/{kreo_en.pk}/" in text(response), url
    client.force_login(district_admin)
    response = client.get(urls[1], **HOST)
    assert f"/admin/pages/{kandang_en.pk}/" in text(response)


# -- 6. Tag autocomplete -------------------------------------------------------------------------


@pytest.fixture
def tags(kreo, kandang, media):
    from taggit.models import Tag

    media[0]["images"].tags.add("kreo-sawah")
    media[1]["images"].tags.add("kandang-rahasia")
    media[1]["documents"].tags.add("kandang-arsip")
    own = NewsPage(title="Kabar Kreo", slug="kabar-kreo")
    own.tags.add("kreo-berita")
    home_of(kreo).add_child(instance=own)
    draft = NewsPage(title="Kabar Kandang", slug="kabar-kandang", live=False)
    draft.tags.add("kandang-draf")
    home_of(kandang).add_child(instance=draft)
    draft.save_revision()
    Tag.objects.create(name="kandang-yatim")  # in no village's objects (e.g. only in a revision)


@pytest.mark.parametrize("url", ["/admin/tag-autocomplete/", "/admin/tag-autocomplete/taggit/tag/"])
def test_tag_autocomplete_suggests_own_villages_tags(
    client, tags, kreo_editor, district_admin, url
):
    client.force_login(kreo_editor)
    assert client.get(url, {"term": "k"}, **HOST).json() == ["kreo-berita", "kreo-sawah"]
    assert client.get(url, {"term": "kandang"}, **HOST).json() == []
    assert client.get(url, **HOST).json() == []
    client.force_login(district_admin)
    assert set(client.get(url, {"term": "kandang"}, **HOST).json()) == {
        "kandang-arsip",
        "kandang-draf",
        "kandang-rahasia",
        "kandang-yatim",
    }


def test_tag_autocomplete_still_requires_admin_access(client, tags):
    client.force_login(make_user("warga.biasa"))
    response = client.get("/admin/tag-autocomplete/", {"term": "k"}, **HOST)
    assert response.status_code in (302, 403)


# -- 7. The dashboard ----------------------------------------------------------------------------


def summary_counts(html: str) -> dict[str, int]:
    counts = {}
    for href, key in (("/admin/images/", "images"), ("/admin/documents/", "documents")):
        found = re.search(rf'href="{href}">\s*(\d+)', html)
        counts[key] = int(found.group(1)) if found else -1
    found = re.search(r"(\d+) halaman desa Anda", html)
    counts["pages"] = int(found.group(1)) if found else -1
    return counts


def test_dashboard_counts_own_village(client, kreo, kandang, media, kreo_editor, district_admin):
    add_page(kreo, "Profil Kreo")
    for n in range(3):
        add_page(kandang, f"{MARKER} {n}", live=bool(n))
    add_media(kandang, f"{MARKER} lagi")
    client.force_login(kreo_editor)
    html = text(client.get("/admin/", **HOST))
    own_pages = Page.objects.filter(pages_of_villages_q({kreo.pk})).count()
    assert own_pages == 3  # both home pages and the new one
    assert summary_counts(html) == {"images": 1, "documents": 1, "pages": own_pages}
    summary = " ".join(re.findall(r"<li>.*?</li>", html, re.S))
    assert settings.WAGTAIL_SITE_NAME not in summary
    assert "Desa Kreo" in summary

    client.force_login(district_admin)
    counts = summary_counts(text(client.get("/admin/", **HOST)))
    assert counts["images"] == 3 and counts["documents"] == 3


# -- 8. Bulk actions -----------------------------------------------------------------------------


def test_page_bulk_select_all_within_own_village(client, kreo, kandang, kreo_editor):
    own = add_page(kreo, "Profil Kreo")
    other = add_page(kandang, f"{MARKER} halaman")
    client.force_login(kreo_editor)
    client.raise_request_exception = False
    url = "/admin/bulk/wagtailcore/page/unpublish/"
    response = client.get(url, {"id": "all", "childOf": home_of(kreo).pk}, **HOST)
    assert response.status_code == 200 and "Profil Kreo" in text(response)
    root = Page.get_first_root_node()
    for query in (
        {"id": "all", "childOf": home_of(kandang).pk},
        {"id": "all", "childOf": root.pk},
        {"id": "all"},
        {"id": "all", "q": MARKER},
        {"id": "all", "childOf": "abc"},
        {"id": "all", "childOf": 999999},
        {"id": "abc"},
        {"id": [own.pk, "x"]},
    ):
        response = client.get(url, query, **HOST)
        assert response.status_code == 404, (query, response.status_code)
        assert MARKER not in text(response)
    response = client.post(
        f"{url}?id=all&childOf={home_of(kandang).pk}", {"include_descendants": "on"}, **HOST
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.live
    response = client.post(f"{url}?id=all&childOf={home_of(kreo).pk}", {}, **HOST)
    assert response.status_code == 302
    own.refresh_from_db()
    assert not own.live


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_media_bulk_select_all_within_own_village(client, kreo, kandang, media, kreo_editor, kind):
    own, other = media[0][kind], media[1][kind]
    model = type(own)
    url = f"/admin/bulk/{model._meta.app_label}/{model._meta.model_name}/delete/"
    client.force_login(kreo_editor)
    client.raise_request_exception = False
    for query in ({"id": "all"}, {"id": "all", "childOf": kreo.collection_id}):
        response = client.get(url, query, **HOST)
        assert response.status_code == 200, query
        assert "Balai Kreo" in text(response) and MARKER not in text(response), query
    for query in (
        {"id": "all", "childOf": kandang.collection_id},
        {"id": "all", "childOf": "abc"},
        {"id": "abc"},
        {"id": other.pk},
    ):
        assert client.get(url, query, **HOST).status_code == 404, query
    assert client.post(f"{url}?id=all", **HOST).status_code == 302
    assert not model.objects.filter(pk=own.pk).exists()
    assert model.objects.filter(pk=other.pk).exists()


def test_bulk_actions_never_act_on_another_village(kreo_editor, district_admin, media):
    """The ``before_bulk_action`` backstop, whatever a selection expanded to."""
    assert keep_bulk_action_in_villages in hooks.get_hooks("before_bulk_action")
    own, other = media[0]["images"], media[1]["images"]
    action = SimpleNamespace(model=get_image_model())
    editor = SimpleNamespace(user=kreo_editor)
    assert keep_bulk_action_in_villages(editor, "delete", [own], action) is None
    with pytest.raises(Http404):
        keep_bulk_action_in_villages(editor, "delete", [own, other], action)
    admin = SimpleNamespace(user=district_admin)
    assert keep_bulk_action_in_villages(admin, "delete", [own, other], action) is None
