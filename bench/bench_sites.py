"""Benchmark: district portal and a village home page with 10 and with 500 villages.

Prints requests/s (in-process Django test client, one thread, after warm-up), database queries
and bytes per request, with the anonymous page cache off and on. Not a test: numbers depend on
the machine; compare runs on the same one.

    python bench/bench_sites.py                 # 10 and 500 villages, temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1/sidekem_bench python bench/bench_sites.py
    python bench/bench_sites.py --sizes 10 100 --requests 100
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]


def setup_django(db_path: str | None) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekem_site.settings.dev")
    os.environ.setdefault("SIDEKEM_SITE_PORT", "80")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no debug query log overhead in timings
    settings.ALLOWED_HOSTS = ["*"]
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")


def village_specs(n: int):
    from core.provisioning.services import VillageSpec
    from core.villages import wilayah

    specs = []
    for area in wilayah.villages():
        specs.append(
            VillageSpec(
                code=area.code,
                name=area.name,
                kecamatan_code=area.kecamatan_code,
                kecamatan_name=area.kecamatan_name,
                hostname=f"v{area.code.replace('.', '')}.localhost",
            )
        )
    # Beyond Pemalang's 223 real villages: synthetic codes (serial 29xx/39xx) in real kecamatan.
    kecamatan = wilayah.kecamatan_list()
    i = 0
    while len(specs) < n:
        kec = kecamatan[i % len(kecamatan)]
        serial = 2900 + i // len(kecamatan)
        code = f"{kec.code}.{serial}"
        specs.append(
            VillageSpec(
                code=code,
                name=f"Desa Uji {i + 1}",
                kecamatan_code=kec.code,
                kecamatan_name=kec.name,
                hostname=f"v{code.replace('.', '')}.localhost",
            )
        )
        i += 1
    return specs[:n]


def measure(client, host: str, path: str, requests: int) -> dict:
    from django.db import connection

    for _ in range(5):  # warm caches (site root paths, switches, templates)
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (host, path, response.status_code)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path, HTTP_HOST=host)
    size = len(response.content)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path, HTTP_HOST=host)
        timings.append(time.perf_counter() - start)
    return {
        "req_s": len(timings) / sum(timings),
        "p50_ms": statistics.median(timings) * 1000,
        "queries": len(queries),
        "bytes": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 500])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="sidekem-bench-")
    setup_django(str(Path(tmp.name) / "bench.sqlite3"))
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from core.provisioning.services import ensure_district_portal, provision_village
    from core.villages.models import Village

    print(f"database: {connection.vendor}; {os.cpu_count()} cores; {args.requests} requests each")
    call_command("migrate", verbosity=0)
    ensure_district_portal(hostname="localhost", port=80)
    specs = village_specs(max(args.sizes))
    kreo_host = specs[0].hostname
    client = Client()
    rows = []
    for size in sorted(args.sizes):
        start = time.perf_counter()
        for spec in specs[Village.objects.count() : size]:
            provision_village(spec)
        provision_s = time.perf_counter() - start
        assert Village.objects.count() == size
        for cache_seconds in (0, 300):
            settings.SIDEKEM_PAGE_CACHE_SECONDS = cache_seconds  # anonymous page cache off/on
            for label, host, path in (
                ("district portal", "localhost", "/"),
                ("unknown host -> portal", "nosuch.localhost", "/"),
                ("village home (id)", kreo_host, "/"),
                ("village home (en)", kreo_host, "/en/"),
            ):
                m = measure(client, host, path, args.requests)
                rows.append((size, label, "on" if cache_seconds else "off", m))
        print(f"provisioned up to {size} villages in {provision_s:.1f}s")
    print()
    print(
        f"{'villages':>8}  {'page':<24}{'cache':>6}{'req/s':>8}{'p50 ms':>9}"
        f"{'queries':>9}{'bytes':>9}"
    )
    for size, label, cache_state, m in rows:
        print(
            f"{size:>8}  {label:<24}{cache_state:>6}{m['req_s']:>8.0f}{m['p50_ms']:>9.2f}"
            f"{m['queries']:>9}{m['bytes']:>9}"
        )
    tmp.cleanup()


if __name__ == "__main__":
    main()
