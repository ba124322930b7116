"""Benchmark: the transparency page and its open data with 10 and 600 budget lines, and the
import of a 600-line APBDes file.

Prints requests/s (in-process Django test client, one thread, after warm-up), all database
queries and the plugin's own queries per request, with the page cache off; then the seconds the
import's preview (dry run) and real run take. Not a test: numbers depend on the machine.

    python bench/bench_transparency.py                     # temporary SQLite file
    python bench/bench_transparency.py --sizes 10 600 2000 --seconds 2
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from decimal import Decimal
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

    from core.pluginhost.models import PluginSwitchChange
    from core.pluginhost.switches import set_plugin_enabled
    from core.provisioning.services import VillageSpec, provision_village
    from core.website.models import VillageHomePage
    from plugins.transparency.models import TransparencyPage

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
    set_plugin_enabled([village], "transparency", True, None, PluginSwitchChange.Source.COMMAND)
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    page = TransparencyPage(title="Transparansi APBDes", slug="apbdes")
    home.add_child(instance=page)
    page.save_revision().publish()
    return village


def fill_version(village, year: int, lines: int):
    """A published version with ``lines`` lines: income, financing, and cost lines spread over
    activities in every sub-sector (10 lines an activity), each with a realisation."""
    import datetime

    from plugins.transparency.models import (
        Account,
        Activity,
        Budget,
        BudgetLine,
        BudgetVersion,
        FundingSource,
        Realisation,
        Sector,
    )

    budget = Budget.objects.create(village=village, year=year)
    version = BudgetVersion.objects.create(
        village=village, budget=budget, number=1, kind="murni", status="published"
    )
    dds = FundingSource.objects.get(code="DDS")
    income = Account.objects.get(code="4.2.1.01")
    cost = list(Account.objects.filter(code__startswith="5.", level="objek")[:20])
    subs = list(Sector.objects.filter(level="sub_bidang"))
    BudgetLine.objects.create(
        village=village, version=version, account=income, amount=Decimal(10**9), source=dds
    )
    activities = []
    rows = []
    for n in range(lines - 1):
        if n % 10 == 0:
            activities.append(
                Activity.objects.create(
                    village=village,
                    version=version,
                    sector=subs[len(activities) % len(subs)],
                    name=f"Kegiatan {len(activities) + 1}",
                )
            )
        rows.append(
            BudgetLine(
                village=village,
                version=version,
                account=cost[n % len(cost)],
                activity=activities[-1],
                description=f"Baris {n}",
                volume=Decimal(10),
                unit="unit",
                unit_price=Decimal(150000),
                amount=Decimal(1500000),
                source=dds,
                order=n,
            )
        )
    created = BudgetLine.objects.bulk_create(rows)
    Realisation.objects.bulk_create(
        Realisation(
            village=village, line=line, date=datetime.date(year, 6, 30), amount=Decimal(750000)
        )
        for line in created
    )
    return version


def measure(client, host: str, url: str, seconds: float) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, response.status_code)
    connection.queries_log.clear()  # the log keeps 9000 queries: start from empty
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, HTTP_HOST=host)
    captured = list(ctx.captured_queries)
    ours = [q for q in captured if "transparency_" in q["sql"]]
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        client.get(url, HTTP_HOST=host)
        count += 1
    return {
        "rps": count / (time.perf_counter() - start),
        "queries": len(captured),
        "ours": len(ours),
    }


def bench_import(village, lines: int) -> tuple[float, float]:
    from core.imports.engine import load_dataset, run_import
    from plugins.transparency.imports import COLUMNS, BudgetLineResource

    subs = ["1.1", "2.3", "3.2", "4.2", "5.1"]
    text = [",".join(COLUMNS), '2030,1,4.2.1.01,,,,Dana Desa,,,,"1.000.000.000",DD-APBN,,']
    for n in range(lines - 1):
        sub = subs[(n // 10) % len(subs)]
        text.append(f'2030,1,5.2.1.01,{sub},,Kegiatan {n // 10},Baris {n},10,unit,"150.000",,DDS,,')
    content = ("\n".join(text) + "\n").encode()
    start = time.perf_counter()
    result = run_import(
        BudgetLineResource(village=village), load_dataset(content, "csv"), dry_run=True
    )
    preview = time.perf_counter() - start
    assert not result.has_errors() and not result.has_validation_errors()
    start = time.perf_counter()
    run_import(BudgetLineResource(village=village), load_dataset(content, "csv"), dry_run=False)
    return preview, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 600])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="sidekem-bench-")
    setup_django(os.path.join(tmp, "bench.sqlite3"), os.path.join(tmp, "media"))

    from django.core.cache import cache
    from django.test import Client

    from plugins.transparency.models import TransparencyPage

    village = build_village()
    page = TransparencyPage.objects.get()
    host = "kreo.localhost"
    client = Client()
    print(f"database: {os.environ['DATABASE_URL'].split('://')[0]}; page cache off")
    print(f"{'lines':>6} {'url':<10} {'req/s':>8} {'queries':>7} {'plugin':>6}")
    for i, size in enumerate(sorted(args.sizes)):
        year = 2020 + i
        fill_version(village, year, size)
        base = page.url.replace("http://kreo.localhost", "")
        urls = {"page": f"{base}?tahun={year}", "csv": f"{base}data/{year}/1/csv/"}
        for name, url in urls.items():
            cache.clear()
            r = measure(client, host, url, args.seconds)
            print(f"{size:>6} {name:<10} {r['rps']:>8.1f} {r['queries']:>7} {r['ours']:>6}")
    preview, real = bench_import(village, 600)
    print(f"import of 600 lines: preview {preview:.2f} s, confirmed import {real:.2f} s")


if __name__ == "__main__":
    main()
