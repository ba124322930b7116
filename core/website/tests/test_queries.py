"""Every public page within 12 queries, flat in the number of villages and news items."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.website.models import NewsIndexPage, NewsPage
from core.website.tests.conftest import add_news, index_of, provision

BUDGET = 12


def _urls(demo):
    home = demo.kreo.home_pages.get(locale__language_code="id")
    article = NewsPage.objects.live().descendant_of(home).get(slug="rabat-beton-jalan-dusun")
    en_article = article.get_translation(article.get_translations().first().locale)
    return {
        "home": "/",
        "news_index": "/berita/",
        "news_article": article.get_url(),
        "home_en": "/en/",
        "news_index_en": "/en/news/",
        "news_article_en": en_article.get_url(),
        "news_page_2": "/berita/?page=2",
        "search": "/cari/?q=desa",
        "profile": "/profil/",
        "government": "/pemerintahan/",
        "gallery": "/galeri/",
        "documents": "/dokumen/",
        "data": "/data-desa/",
        "contact": "/kontak/",
        "events": "/agenda/",
        "announcements": "/pengumuman/",
    }


def _counts(client, host, urls):
    counts = {}
    for name, url in urls.items():
        client.get(url, HTTP_HOST=host)  # warm: renditions and caches exist
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 200, url
        counts[name] = len(ctx.captured_queries)
    return counts


def test_public_pages_within_budget_and_flat(demo, client):
    urls = _urls(demo)
    before = _counts(client, demo.kreo_host, urls)
    assert all(count <= BUDGET for count in before.values()), before

    # Many more villages and news items: the counts do not move.
    for i, code in enumerate(["33.27.01.2001", "33.27.01.2002", "33.27.01.2003"]):
        provision(code, f"Uji {i}", f"uji{i}.localhost")
    index = index_of(demo.kreo, NewsIndexPage)
    image = NewsPage.objects.child_of(index).exclude(featured_image=None).first().featured_image
    for i in range(25):
        add_news(
            index,
            f"Berita tambahan {i}",
            "Isi berita tambahan.",
            slug=f"tambahan-{i}",
            featured_image=image,
            featured_image_alt="Gambar",
        )
    after = _counts(client, demo.kreo_host, urls)
    assert after == before


def test_portal_within_budget_and_flat(demo, client):
    urls = {"portal": "/", "district_news": "/berita/", "search": "/?q=kre"}
    before = _counts(client, "localhost", urls)
    assert all(count <= BUDGET for count in before.values()), before
    provision("33.27.01.2004", "Uji portal", "ujiportal.localhost")
    add_news(index_of(demo.kandang, NewsIndexPage), "Berita lain", "Isi.")
    assert _counts(client, "localhost", urls) == before


def test_home_page_weight(demo, client):
    """The home page HTML and CSS (no images) stay well under 100 KB."""
    from pathlib import Path

    from django.conf import settings

    html = client.get("/", HTTP_HOST=demo.kreo_host).content
    css = (Path(settings.BASE_DIR) / "site/sidekem_site/static/css/sidekem.css").read_bytes()
    assert len(html) + len(css) < 100 * 1024
