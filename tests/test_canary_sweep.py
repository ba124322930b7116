"""The canary sweep: a unique marker planted in every object of Kandang must appear in no admin
response that Kreo's editor can get.

Kandang gets marked pages (live, draft-only, a live page with a marked newer draft, a
login-only page, a news draft whose tag exists nowhere else, an English translation), images
and documents (one in a login-only collection), contact messages, its editor's name, its site
settings, and one marked object of every model with a ``village`` field plus whatever apps plant
through the ``register_canary_objects`` hook (core/confinement/canary.py) — so a new plugin
model is covered the day it is written. Then every admin and API URL the project registers is
fetched as Kreo's editor: parameter-free URLs with list parameters (``q``, ``search``,
``term``, ``id`` with Kandang's ids, ``id=all``, ``export``), and URLs with parameters filled
with Kandang's objects and with Kreo's own objects (the editor's own pages, choosers and
listings, asked for Kandang's ids). CI runs it on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import get_resolver
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Locale, PageViewRestriction
from wagtail_localize.operations import translate_object

from core.confinement.canary import plant_canaries
from core.website.models import (
    NewsIndexPage,
    NewsPage,
    StandardPage,
    VillageHomePage,
    VillageSiteSettings,
)
from tests.sample_plugin.models import SampleNote, SamplePage
from tests.test_isolation_sweep import (
    SKIP_ROUTES,
    KandangWorld,
    build_path,
    candidate_requests,
    fixed_values,
    param_names,
    png_bytes,
    walk,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_plugin_on")]

MARKER = "KANARI7QX BOCOR"
# Views echo what was searched for: search for one word of the marker, look for all of it.
SEARCH = "KANARI7QX"
SLUG = "kanari7qx-bocor"


@dataclass
class Planted:
    world: KandangWorld
    page_ids: list[int]
    image_id: int
    document_ids: list[int]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def village_world(village, title: str) -> KandangWorld:
    """The objects the isolation sweep fills URLs with, for any village."""
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    en_home = VillageHomePage.objects.get(village=village, locale__language_code="en")
    page = _publish(home, SamplePage(title=f"{title} halaman", slug=f"dunia-{village.pk}"))
    image = get_image_model().objects.create(
        title=f"{title} foto",
        collection=village.collection,
        file=ContentFile(png_bytes(), name="foto.png"),
    )
    document = get_document_model().objects.create(
        title=f"{title} dokumen",
        collection=village.collection,
        file=ContentFile(b"%PDF-1.4 dokumen", name="dokumen.pdf"),
    )
    note = SampleNote.objects.create(village=village, title=f"{title} catatan")
    redirect = Redirect.objects.create(
        old_path=f"/lama-{village.slug}", site=village.site, redirect_page=page
    )
    page_restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    child = village.collection.add_child(name=f"{title} arsip")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=child, restriction_type=CollectionViewRestriction.LOGIN
    )
    return KandangWorld(
        village,
        home,
        en_home,
        page,
        image,
        document,
        note,
        redirect,
        page_restriction,
        collection_restriction,
    )


@pytest.fixture
def planted(kandang) -> Planted:
    world = village_world(kandang, MARKER)
    home = world.home
    editor = get_user_model().objects.get(username="editor.kandang")
    editor.last_name = MARKER
    editor.save()
    live = _publish(home, StandardPage(title=f"{MARKER} terbit", slug="kanari-terbit"))
    draft_only = StandardPage(title=f"{MARKER} konsep", slug="kanari-konsep", live=False)
    home.add_child(instance=draft_only)
    draft_only.save_revision()
    newer_draft = _publish(home, StandardPage(title="Halaman biasa", slug="kanari-revisi"))
    newer_draft.title = f"{MARKER} revisi"
    newer_draft.save_revision()
    private = _publish(home, StandardPage(title=f"{MARKER} pribadi", slug="kanari-pribadi"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    index = _publish(home, NewsIndexPage(title="Berita", slug="berita-kanari"))
    tagged = NewsPage(title=f"{MARKER} berita konsep", slug="kanari-berita", live=False)
    index.add_child(instance=tagged)
    tagged.tags.add(f"{SLUG}-tag")
    tagged.save_revision()
    translate_object(live, [Locale.objects.get(language_code="en")])
    collection = Collection.objects.get(pk=world.collection_restriction.collection_id)
    collection.name = f"{MARKER} arsip"
    collection.save()
    secret_doc = get_document_model().objects.create(
        title=f"{MARKER} dokumen pribadi",
        collection=collection,
        file=ContentFile(b"%PDF-1.4 pribadi", name="pribadi.pdf"),
    )
    settings = VillageSiteSettings.for_site(kandang.site)
    settings.facebook_url = f"https://facebook.com/{SLUG}"
    settings.save()
    Redirect.objects.create(old_path=f"/{SLUG}", site=kandang.site, redirect_page=live)
    plant_canaries(kandang, MARKER)
    return Planted(
        world=world,
        page_ids=[live.pk, draft_only.pk, newer_draft.pk, private.pk, tagged.pk, world.page.pk],
        image_id=world.image.pk,
        document_ids=[world.document.pk, secret_doc.pk],
    )


def list_queries(p: Planted) -> list[str]:
    ids = [*p.page_ids, p.image_id, *p.document_ids, p.world.note.pk]
    return [
        "",
        f"q={SEARCH}",
        f"search={SEARCH}",
        f"term={SEARCH[:4]}",
        f"term={SEARCH[:4].lower()}",
        "&".join(f"id={i}" for i in ids),
        "&".join(f"id={i}" for i in p.page_ids),
        "&".join(f"id={i}" for i in [p.image_id, *p.document_ids]),
        "id=all",
        f"id=all&childOf={p.world.home.pk}",
        "export=csv",
        f"p=1&q={quote(SEARCH.lower())}",
    ]


def shows_marker(text: str) -> bool:
    return MARKER in text or MARKER.lower() in text or SLUG in text


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def admin_routes():
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_ROUTES):
            continue
        if route.startswith(("admin/", "api/")):
            yield route, pattern


def test_no_admin_response_shows_kandangs_marker_to_kreo(client, planted, kreo, kreo_editor):
    client.force_login(kreo_editor)
    client.raise_request_exception = False
    own = village_world(kreo, "Milik Kreo")
    kandang_values, kreo_values = fixed_values(planted.world), fixed_values(own)
    queries = list_queries(planted)
    shown, errors, fetched = [], [], 0

    def fetch(url: str) -> None:
        nonlocal fetched
        response = client.get(url, HTTP_HOST="kreo.localhost")
        fetched += 1
        if response.status_code >= 500:
            errors.append(f"{url} -> {response.status_code}")
            return
        text = body_of(response)
        if shows_marker(text):
            shown.append(f"{url} -> {response.status_code}")

    for route, pattern in admin_routes():
        if not param_names(route):
            path = build_path(route, {})
            for query in queries:
                fetch(f"{path}?{query}" if query else path)
            continue
        for world, values, variants in (
            (planted.world, kandang_values, [""]),
            (own, kreo_values, queries[:9]),
        ):
            for path, query, _must_refuse in candidate_requests(route, pattern, world, values):
                for extra in variants:
                    joined = "&".join(part for part in (query, extra) if part)
                    fetch(f"{path}?{joined}" if joined else path)
    assert fetched > 1500, fetched
    assert not (errors or shown), (
        f"{fetched} admin URLs fetched as Kreo's editor.\n"
        + "Kandang's marker shown:\n"
        + "\n".join(shown)
        + "\nServer errors:\n"
        + "\n".join(errors)
    )


def test_the_canary_is_alive(client, planted, kandang_editor, district_admin):
    """Kandang's own editor and the district administrator do see the marker where it is, so
    the sweep looks at real objects and real views."""
    client.force_login(kandang_editor)
    home = planted.world.home.pk
    assert MARKER in body_of(client.get(f"/admin/pages/{home}/", HTTP_HOST="kandang.localhost"))
    assert MARKER in body_of(client.get("/admin/images/", HTTP_HOST="kandang.localhost"))
    assert MARKER in body_of(client.get("/admin/sample_notes/", HTTP_HOST="kandang.localhost"))
    assert MARKER in body_of(client.get("/admin/contact_messages/", HTTP_HOST="kandang.localhost"))
    client.force_login(district_admin)
    assert MARKER in body_of(client.get(f"/admin/pages/search/?q={SEARCH}"))
    assert SLUG in body_of(client.get(f"/admin/tag-autocomplete/?term={SEARCH[:4]}"))
