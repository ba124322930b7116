"""Benchmark: village home, news index and news article with 10 and 10,000 news articles.

Prints requests/s (in-process Django test client, one thread, after warm-up), database queries
and bytes per request (raw HTML and gzip-compressed, i.e. what travels with compression on), once
with the page cache off and once with it on. Not a test: numbers depend on the machine.

The 10,000 articles are bulk-inserted with computed treebeard paths (creating them one by one
through Wagtail takes far too long); they are live, public and carry a featured image, but are
not in the search index (search is not measured here).

    python bench/bench_content.py                     # 10 and 10000, temporary SQLite file
    python bench/bench_content.py --sizes 10 1000 --seconds 2
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]


def setup_django(db_path: str, media: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_path}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekem_site.settings.dev")
    os.environ["MEDIA_ROOT"] = media
    os.environ["SIDEKEM_SITE_PORT"] = "80"
    os.environ["SIDEKEM_PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    import warnings

    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    warnings.filterwarnings("ignore", message="No directory at")


def build_village():
    from django.core.management import call_command
    from django.db import transaction

    from core.demo.content import seed_village_content
    from core.provisioning.services import VillageSpec, provision_village

    call_command("migrate", verbosity=0)
    village = provision_village(
        VillageSpec(
            code="33.27.07.2013",
            name="Kreo",
            kecamatan_code="33.27.07",
            kecamatan_name="Randudongkal",
            hostname="kreo.localhost",
            port=80,
        )
    ).village
    with transaction.atomic():
        seed_village_content(village)
    return village


def grow_news(village, total: int) -> None:
    """Bulk-insert live news pages under the village's Indonesian news index up to ``total``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from core.website.models import NewsIndexPage, NewsPage

    home = village.home_pages.get(locale__language_code="id")
    index = NewsIndexPage.objects.child_of(home).get()
    existing = NewsPage.objects.child_of(index).count()
    if existing >= total:
        return
    sample = NewsPage.objects.child_of(index).exclude(featured_image=None).first()
    content_type = ContentType.objects.get_for_model(NewsPage)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        for n in range(existing, total):
            position = index.numchild + 1 + (n - existing)
            slug = f"berita-uji-{n}"
            page = NewsPage(
                path=NewsPage._get_path(index.path, index.depth + 1, position),
                depth=index.depth + 1,
                numchild=0,
                title=f"Berita uji nomor {n}",
                draft_title=f"Berita uji nomor {n}",
                slug=slug,
                url_path=f"{index.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                locale_id=index.locale_id,
                translation_key=uuid.uuid4(),
                content_type=content_type,
                date=today - timezone.timedelta(days=n % 900),
                category=sample.category,
                summary="Ringkasan berita uji untuk pengukuran.",
                body=sample.body,
                featured_image_id=sample.featured_image_id,
                featured_image_alt=sample.featured_image_alt,
            )
            fields = Page._meta.concrete_fields
            parent = Page(**{f.attname: getattr(page, f.attname) for f in fields})
            parent.save_base(raw=True, force_insert=True)
            page.page_ptr_id = page.pk = parent.pk
            page.save_base(raw=True, force_insert=True)
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild + total - existing)


def measure(client, host: str, url: str, seconds: float) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_HOST=host)
    queries = len(ctx.captured_queries)
    body = response.content
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        client.get(url, HTTP_HOST=host)
        count += 1
    elapsed = time.perf_counter() - start
    return {
        "rps": count / elapsed,
        "queries": queries,
        "bytes": len(body),
        "gzip": len(gzip.compress(body, 6)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 10000])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="sidekem-bench-")
    setup_django(os.path.join(tmp, "bench.sqlite3"), os.path.join(tmp, "media"))

    from django.core.cache import cache
    from django.test import Client, override_settings

    from core.website.models import NewsPage

    village = build_village()
    host = "kreo.localhost"
    client = Client()
    css = (ROOT / "site/sidekem_site/static/css/sidekem.css").read_bytes()
    print(
        f"database: {os.environ['DATABASE_URL'].split('://')[0]}; CSS {len(css)} B "
        f"({len(gzip.compress(css))} B gzip), counted once per visit"
    )
    print(
        f"{'news':>6} {'page':<13} {'cache':<5} {'req/s':>8} {'queries':>7} "
        f"{'bytes':>7} {'gzip':>6}"
    )
    for size in sorted(args.sizes):
        grow_news(village, size)
        article = NewsPage.objects.live().get(
            slug="rabat-beton-jalan-dusun", locale__language_code="id"
        )
        urls = {"home": "/", "news index": "/berita/", "news article": article.url}
        for cached in (False, True):
            cache.clear()
            with override_settings(SIDEKEM_PAGE_CACHE_SECONDS=300 if cached else 0):
                for name, url in urls.items():
                    r = measure(client, host, url, args.seconds)
                    print(
                        f"{size:>6} {name:<13} {'on' if cached else 'off':<5} "
                        f"{r['rps']:>8.1f} {r['queries']:>7} {r['bytes']:>7} {r['gzip']:>6}"
                    )


if __name__ == "__main__":
    main()
