"""Benchmark: the transparency plugin's district page (/apbdes-kabupaten/ on the portal) with 10
and 223 villages, each with a published APBDes of 600 lines (2 income lines, 598 cost lines
under 60 activities, a realisation per cost line), rows bulk-inserted.

Prints the mean time of a request (in-process Django test client, one thread, after warm-up,
page cache off), all database queries and the plugin's own queries per request. Not a test:
numbers depend on the machine.

    python bench/bench_transparency_district.py                 # temporary SQLite file
    python bench/bench_transparency_district.py --villages 10 50 223 --lines 600 --seconds 5
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

KECAMATAN = 14
URL = "/apbdes-kabupaten/?tahun=2025"


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


def add_villages(start: int, count: int, lines: int) -> None:
    """``count`` bare villages (a Site each, the plugin switched on), each with a published
    version of ``lines`` lines; everything by bulk insert."""
    from wagtail.models import Page, Site

    from core.pluginhost.models import PluginSwitch
    from core.villages.models import Kecamatan, Village
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

    root = Page.objects.get(depth=1)
    kecamatan = [
        Kecamatan.objects.get_or_create(
            code=f"33.27.{k + 1:02d}", defaults={"name": f"Kecamatan {k + 1}"}
        )[0]
        for k in range(KECAMATAN)
    ]
    numbers = range(start, start + count)
    sites = Site.objects.bulk_create(
        Site(hostname=f"desa{n}.localhost", port=80, root_page=root) for n in numbers
    )
    villages = Village.objects.bulk_create(
        Village(
            site=site,
            code=f"{kecamatan[n % KECAMATAN].code}.{2001 + n}",
            name=f"Desa {n}",
            slug=f"desa-{n}",
            kecamatan=kecamatan[n % KECAMATAN],
        )
        for n, site in zip(numbers, sites, strict=True)
    )
    PluginSwitch.objects.bulk_create(
        PluginSwitch(village=v, plugin_key="transparency", enabled=True) for v in villages
    )
    budgets = Budget.objects.bulk_create(Budget(village=v, year=2025) for v in villages)
    versions = BudgetVersion.objects.bulk_create(
        BudgetVersion(
            village=v, budget=b, number=1, kind="murni", status="published", legal_basis="Perdes"
        )
        for v, b in zip(villages, budgets, strict=True)
    )
    dds, add = FundingSource.objects.get(code="DDS"), FundingSource.objects.get(code="ADD")
    dana_desa, alokasi = Account.objects.get(code="4.2.1.01"), Account.objects.get(code="4.2.3.01")
    cost = list(Account.objects.filter(code__startswith="5.", level="objek")[:20])
    subs = list(Sector.objects.filter(level="sub_bidang"))
    per_activity = 10
    cost_lines = lines - 2
    activities = Activity.objects.bulk_create(
        (
            Activity(
                village_id=version.village_id,
                version=version,
                sector=subs[a % len(subs)],
                name=f"Kegiatan {a + 1}",
            )
            for version in versions
            for a in range((cost_lines + per_activity - 1) // per_activity)
        ),
        batch_size=2000,
    )
    by_version: dict[int, list] = {}
    for activity in activities:
        by_version.setdefault(activity.version_id, []).append(activity)
    rows = []
    for version in versions:
        rows.append(
            BudgetLine(
                village_id=version.village_id,
                version=version,
                account=dana_desa,
                amount=Decimal(900_000_000),
                source=dds,
            )
        )
        rows.append(
            BudgetLine(
                village_id=version.village_id,
                version=version,
                account=alokasi,
                amount=Decimal(400_000_000),
                source=add,
            )
        )
        acts = by_version[version.pk]
        for n in range(cost_lines):
            rows.append(
                BudgetLine(
                    village_id=version.village_id,
                    version=version,
                    account=cost[n % len(cost)],
                    activity=acts[n // per_activity],
                    description=f"Baris {n}",
                    volume=Decimal(10),
                    unit="unit",
                    unit_price=Decimal(150_000),
                    amount=Decimal(1_500_000),
                    source=dds,
                    order=n,
                )
            )
    created = BudgetLine.objects.bulk_create(rows, batch_size=2000)
    Realisation.objects.bulk_create(
        (
            Realisation(
                village_id=line.village_id,
                line=line,
                date=datetime.date(2025, 6, 30),
                amount=Decimal(750_000),
            )
            for line in created
            if line.activity_id
        ),
        batch_size=2000,
    )


def measure(client, seconds: float) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    for _ in range(2):
        response = client.get(URL, HTTP_HOST="localhost")
    assert response.status_code == 200, response.status_code
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, HTTP_HOST="localhost")
    captured = list(ctx.captured_queries)
    ours = [q for q in captured if "transparency_" in q["sql"]]
    rows = response.content.decode().count('class="tp-village"')
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or count < 3:
        client.get(URL, HTTP_HOST="localhost")
        count += 1
    return {
        "ms": 1000 * (time.perf_counter() - start) / count,
        "queries": len(captured),
        "ours": len(ours),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, nargs="+", default=[10, 223])
    parser.add_argument("--lines", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="sidekem-bench-")
    setup_django(os.path.join(tmp, "bench.sqlite3"), os.path.join(tmp, "media"))

    from django.core.management import call_command
    from django.test import Client

    from core.provisioning.services import ensure_district_portal

    call_command("migrate", verbosity=0)
    ensure_district_portal(hostname="localhost", port=80)
    client = Client()
    print(f"database: {os.environ['DATABASE_URL'].split('://')[0]}; page cache off")
    print(
        f"{'villages':>8} {'lines':>8} {'insert s':>8} {'ms/req':>8} {'queries':>7} {'plugin':>6}"
    )
    have = 0
    for target in sorted(args.villages):
        start = time.perf_counter()
        add_villages(have, target - have, args.lines)
        inserted = time.perf_counter() - start
        have = target
        result = measure(client, args.seconds)
        assert result["rows"] == target, result
        print(
            f"{target:>8} {target * args.lines:>8} {inserted:>8.1f} {result['ms']:>8.1f} "
            f"{result['queries']:>7} {result['ours']:>6}"
        )


if __name__ == "__main__":
    main()
