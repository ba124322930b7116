"""Benchmark: one news page published in each of N villages (default 223, all of Pemalang) with
3 accounts each (Telegram through one district bot, Mastodon, Bluesky), delivered by two Celery
worker processes against the local fake networks server. Prints the time from the first publish
until every delivery is settled, deliveries per second, and the duplicate count (must be 0).

Needs PostgreSQL and Redis (two worker processes share the database and the broker):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekem_bench_social \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/bench_social_fanout.py [--villages 223]

The database named in BENCH_DATABASE_URL is created and dropped; the Redis database is flushed.
Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]


def admin_url(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path="/postgres")), parsed.path.lstrip("/")


def recreate_database(url: str) -> None:
    import psycopg

    server, name = admin_url(url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    server, name = admin_url(url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=223)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    db_url = os.environ.get("BENCH_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL")
    if not db_url or not redis_url:
        sys.exit("set BENCH_DATABASE_URL (PostgreSQL) and BENCH_REDIS_URL")
    recreate_database(db_url)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "sidekem_site.settings.dev",
        "SIDEKEM_SITE_PORT": "80",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")})
    os.environ["SIDEKEM_SITE_PORT"] = "80"
    import django

    django.setup()
    import redis
    from django.core.management import call_command

    from core.pluginhost.models import PluginSwitchChange
    from core.pluginhost.switches import set_plugin_enabled
    from core.provisioning.services import ensure_district_portal, provision_village
    from core.website.models import NewsIndexPage, NewsPage, VillageHomePage
    from plugins.social.models import Delivery, Network, SocialAccount
    from plugins.social.tests import fakenet

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_sites import village_specs

    redis.Redis.from_url(redis_url).flushdb()
    workers = []
    fake = fakenet.FakeNetworks().start()
    try:
        call_command("migrate", verbosity=0)
        ensure_district_portal(hostname="localhost", port=80)
        start = time.perf_counter()
        villages = [provision_village(spec).village for spec in village_specs(args.villages)]
        print(f"provisioned {len(villages)} villages in {time.perf_counter() - start:.1f}s")
        set_plugin_enabled(villages, "social", True, None, PluginSwitchChange.Source.COMMAND)
        indexes = {}
        for village in villages:
            for network, (target, credential) in {
                Network.TELEGRAM: (f"@desa{village.pk}", fakenet.TELEGRAM_TOKEN),
                Network.MASTODON: ("", fakenet.MASTODON_TOKEN),
                Network.BLUESKY: (fakenet.BLUESKY_HANDLE, fakenet.BLUESKY_PASSWORD),
            }.items():
                SocialAccount.objects.create(
                    village=village,
                    network=network,
                    name=f"{village.name} {network}",
                    target=target,
                    credential=credential,
                    api_base_url=fake.url,
                )
            home = VillageHomePage.objects.get(village=village, locale__language_code="id")
            index = NewsIndexPage(title="Berita", slug="berita")
            home.add_child(instance=index)
            index.save_revision().publish()
            indexes[village.pk] = index

        for n in range(args.workers):
            workers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "sidekem_site",
                        "worker",
                        "--pool",
                        "solo",
                        "-n",
                        f"bench{n}@%h",
                        "--loglevel",
                        "WARNING",
                    ],
                    env=env,
                    cwd=str(ROOT / "site"),
                )
            )
        time.sleep(5)  # workers connect

        start = time.perf_counter()
        for village in villages:
            page = NewsPage(
                title=f"Kerja bakti di {village.name}",
                slug="kerja-bakti",
                summary="Warga bergotong royong membersihkan saluran irigasi.",
            )
            indexes[village.pk].add_child(instance=page)
            page.save_revision().publish()
        published = time.perf_counter() - start
        expected = len(villages) * 3
        final = ("sent", "unknown", "failed", "needs_reauth", "cancelled")
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            settled = Delivery.objects.filter(status__in=final).count()
            if settled >= expected:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
        statuses = Counter(Delivery.objects.values_list("status", flat=True))
        per_share = Counter((p["network"], p.get("target") or p.get("text")) for p in fake.posts)
        duplicates = sum(c - 1 for c in per_share.values() if c > 1)
        print(f"villages: {len(villages)}, accounts: {expected}, workers: {args.workers}")
        print(
            f"publishing {len(villages)} pages (rows created in the transaction): {published:.1f}s"
        )
        print(
            f"fan-out until all deliveries settled: {elapsed:.1f}s "
            f"({expected / elapsed:.1f} deliveries/s)"
        )
        print(f"statuses: {dict(statuses)}")
        print(f"posts on the fake networks: {len(fake.posts)} (expected {expected})")
        print(f"duplicates: {duplicates}")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        fake.stop()
        from django.db import connections

        connections.close_all()
        drop_database(db_url)


if __name__ == "__main__":
    main()
