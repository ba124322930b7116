"""Private means private to the village: login-only pages and documents of Kandang are for
Kandang's users and district administrators, and no document is reachable by a public file path
(core/confinement/privacy.py, site/sidekem_site/urls.py, WAGTAILDOCS_SERVE_METHOD).
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse
from sidekem_site import urls as site_urls
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.utils import sendfile as wagtail_sendfile

from core.website.models import DistrictHomePage, NewsIndexPage, NewsPage, VillageHomePage
from tests.test_isolation_sweep import png_bytes

pytestmark = pytest.mark.django_db

SECRET = "RAHASIAKANDANG"
HIDDEN = "ZQXANGGARAN"  # only in the title of Kandang's private page
LOGIN_LABEL = "Pribadi: hanya pengguna desa ini dan admin kabupaten"

# The project's URLs with the media serving that DEBUG adds (site/sidekem_site/urls.py).
urlpatterns = [*site_urls.media_urlpatterns(), *site_urls.urlpatterns]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dev_urls(settings):
    settings.ROOT_URLCONF = __name__


def home_of(village):
    return VillageHomePage.objects.get(village=village, locale__language_code="id")


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def news(village, title, slug):
    home = home_of(village)
    index = NewsIndexPage.objects.child_of(home).first() or publish(
        home, NewsIndexPage(title="Berita", slug="berita")
    )
    return publish(index, NewsPage(title=title, slug=slug, summary=title))


def document_in(collection, name="berkas.pdf"):
    return get_document_model().objects.create(
        title=f"Dokumen {name}", collection=collection, file=ContentFile(b"%PDF-1.4 isi", name=name)
    )


@pytest.fixture
def private_page(kandang):
    page = news(kandang, f"{SECRET} {HIDDEN}", "anggaran-rahasia")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


@pytest.fixture
def private_document(kandang):
    CollectionViewRestriction.objects.create(
        collection=kandang.collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return document_in(kandang.collection, "rahasia.pdf")


def get_page(client, village, page):
    return client.get(page.url, HTTP_HOST=village.site.hostname)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/_util/login/" in response["Location"]


def content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# -- 11: login-only means this village's users and district administrators ---------------------
def test_login_only_page_is_for_its_village(
    client, kandang, private_page, kandang_editor, kreo_editor, district_admin
):
    assert is_login_redirect(get_page(client, kandang, private_page))
    for user, allowed in ((kandang_editor, True), (kreo_editor, False), (district_admin, True)):
        client.force_login(user)
        response = get_page(client, kandang, private_page)
        if allowed:
            assert response.status_code == 200, user
            assert HIDDEN in response.content.decode()
        else:
            assert response.status_code in (403, 404), user
            assert HIDDEN not in response.content.decode()
        client.logout()


def test_login_only_document_is_for_its_village(
    client, private_document, kandang_editor, kreo_editor, district_admin
):
    url = private_document.url
    assert is_login_redirect(client.get(url))
    for user, allowed in ((kandang_editor, True), (kreo_editor, False), (district_admin, True)):
        client.force_login(user)
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, user
            assert content(response) == b"%PDF-1.4 isi"
        else:
            assert response.status_code in (403, 404), user
            assert b"%PDF" not in content(response)
        client.logout()


def test_document_in_a_nested_collection_of_the_village_is_for_its_village(
    client, kandang, kreo_editor, kandang_editor
):
    """A district administrator may nest collections; the village is the one above."""
    nested = kandang.collection.add_child(instance=Collection(name="Arsip"))
    CollectionViewRestriction.objects.create(
        collection=nested, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = document_in(nested, "arsip.pdf")
    client.force_login(kreo_editor)
    assert client.get(document.url).status_code in (403, 404)
    client.force_login(kandang_editor)
    assert client.get(document.url).status_code == 200


def test_district_portal_login_only_pages_stay_open_to_any_account(client, kreo_editor):
    portal = DistrictHomePage.objects.get(locale__language_code="id")
    PageViewRestriction.objects.create(page=portal, restriction_type=PageViewRestriction.LOGIN)
    assert is_login_redirect(client.get("/", HTTP_HOST="localhost"))
    client.force_login(kreo_editor)
    assert client.get("/", HTTP_HOST="localhost").status_code == 200


def test_kreo_search_listings_and_sitemap_never_show_kandangs_private_pages(
    client, kreo, kandang, private_page, kreo_editor
):
    own = news(kreo, f"{SECRET} kerja bakti", "kerja-bakti")
    news_index = NewsIndexPage.objects.child_of(home_of(kreo)).get()
    home_url = home_of(kreo).url
    urls = [
        f"{home_url}cari/?q={SECRET}",
        news_index.url,
        f"{news_index.url}feed/",
        home_url,
        "/sitemap.xml",
    ]
    for user in (None, kreo_editor):
        if user:
            client.force_login(user)
        for url in urls:
            response = client.get(url, HTTP_HOST=kreo.site.hostname)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert private_page.slug not in html and HIDDEN not in html, url
        search = client.get(urls[0], HTTP_HOST=kreo.site.hostname).content.decode()
        assert own.title in search  # the search itself works
    for url in ("/", "/berita/", "/sitemap.xml"):  # the district portal neither
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200, url
        html = response.content.decode()
        assert private_page.slug not in html and HIDDEN not in html, url


@pytest.mark.parametrize("dialog", ["page", "collection"])
def test_privacy_dialogs_say_what_login_only_means(client, kreo, district_admin, dialog):
    """Fails if Wagtail changes how it builds its privacy forms (core/confinement/privacy.py)."""
    client.force_login(district_admin)
    if dialog == "page":
        url = reverse("wagtailadmin_pages:set_privacy", args=[home_of(kreo).pk])
    else:
        url = reverse("wagtailadmin_collections:set_privacy", args=[kreo.collection_id])
    response = client.get(url)
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert LOGIN_LABEL in html
    assert 'value="login"' in html
    assert "any logged-in users" not in html


# -- 5: documents only through the serve view -------------------------------------------------
def test_documents_are_served_through_wagtails_view_only():
    assert django_settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"


def test_document_url_is_the_serve_view(kreo):
    document = document_in(kreo.collection)
    assert document.url == reverse("wagtaildocs_serve", args=[document.pk, document.filename])
    assert not document.url.startswith(django_settings.MEDIA_URL)


def test_no_document_has_a_public_file_path(client, dev_urls, kreo, private_document):
    public_document = document_in(kreo.collection, "publik.pdf")
    image = get_image_model().objects.create(
        title="Balai", collection=kreo.collection, file=ContentFile(png_bytes(), name="balai.png")
    )
    # media serving is on: images are served
    assert client.get(f"/media/{image.file.name}").status_code == 200
    for document in (private_document, public_document):
        path = f"/media/{document.file.name}"
        assert path.startswith("/media/documents/")
        assert client.get(path).status_code == 404
        assert client.get(f"/media/images/../{document.file.name}").status_code == 404
    # the private one only after login, the public one to anyone, both through the serve view
    assert is_login_redirect(client.get(private_document.url))
    response = client.get(public_document.url)
    assert response.status_code == 200
    assert content(response) == b"%PDF-1.4 isi"


@pytest.fixture
def accel(settings):
    settings.SIDEKEM_ACCEL_REDIRECT_PREFIX = "/_media_internal/"
    settings.SENDFILE_BACKEND = "sidekem_site.sendfile_nginx"
    wagtail_sendfile._get_sendfile.clear()
    yield
    wagtail_sendfile._get_sendfile.clear()


def test_nginx_sends_a_document_only_after_the_check(client, accel, kreo, private_document):
    public_document = document_in(kreo.collection, "publik.pdf")
    response = client.get(public_document.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_media_internal/{public_document.file.name}"
    assert content(response) == b""
    refused = client.get(private_document.url)
    assert is_login_redirect(refused)
    assert not refused.has_header("X-Accel-Redirect")
