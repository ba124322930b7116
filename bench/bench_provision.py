"""Benchmark: provision the whole district with ``manage.py provision_district``, then again.

Into a fresh database: migrates, runs the command (every desa and kelurahan of the official list,
core/villages/data/pemalang_wilayah.csv), runs it a second time (which must create nothing), and
prints wall time, seconds and database queries per village for both runs, then checks that the
villages sharing a name (Kuta, Sarwodadi) got distinct hostnames. Not a test: numbers depend on
the machine; compare runs on the same one.

    python bench/bench_provision.py               # temporary SQLite file
    createdb -h 127.0.0.1 -U postgres sidekem_bench_provision
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekem_bench_provision \\
        python bench/bench_provision.py
    dropdb -h 127.0.0.1 -U postgres sidekem_bench_provision
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
# Django is set up here, before the project's modules are imported below.
TMP = tempfile.TemporaryDirectory(prefix="sidekem-bench-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(TMP.name) / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekem_site.settings.dev")
os.environ.setdefault("SIDEKEM_SITE_PORT", "80")
django.setup()
warnings.filterwarnings("ignore", message="No directory at")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from core.villages.models import Village  # noqa: E402

settings.DEBUG = False  # no debug query log overhead in timings


def run_command(args: list[str]) -> dict:
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    before = Village.objects.count()
    out = io.StringIO()
    with connection.execute_wrapper(count):
        start = time.perf_counter()
        call_command("provision_district", *args, stdout=out)
        seconds = time.perf_counter() - start
    lines = out.getvalue().splitlines()
    return {
        "seconds": seconds,
        "queries": queries,
        "villages": sum(1 for line in lines if line[:2].isdigit()),
        "created": Village.objects.count() - before,
        "summary": lines[-1] if lines else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kecamatan", nargs="*", default=[], help="only these kecamatan codes")
    args = parser.parse_args()

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {os.cpu_count()} cores")
    print(f"migrate: {time.perf_counter() - start:.1f}s")
    if Village.objects.exists():
        sys.exit(f"the database has {Village.objects.count()} villages already: use a fresh one")

    command_args = [arg for code in args.kecamatan for arg in ("--kecamatan", code)]
    runs = [("first run", run_command(command_args)), ("second run", run_command(command_args))]
    print()
    print(f"{'':<12}{'villages':>9}{'created':>9}{'seconds':>10}{'s/village':>11}{'queries':>9}")
    for label, run in runs:
        per_village = run["seconds"] / max(run["villages"], 1)
        print(
            f"{label:<12}{run['villages']:>9}{run['created']:>9}{run['seconds']:>10.1f}"
            f"{per_village:>11.3f}{run['queries']:>9}"
        )
    for label, run in runs:
        print(f"{label}: {run['summary']}")

    print()
    pairs = Village.objects.filter(name__in=["Kuta", "Sarwodadi"]).select_related("site")
    for village in pairs.order_by("name", "code"):
        print(f"{village.code}  {village} ({village.kecamatan})  {village.site.hostname}")
    hostnames = list(Village.objects.values_list("site__hostname", flat=True))
    print(f"{len(hostnames)} villages, {len(set(hostnames))} distinct hostnames")
    assert runs[1][1]["created"] == 0, "the second run created villages"
    assert len(hostnames) == len(set(hostnames))
    TMP.cleanup()


if __name__ == "__main__":
    main()
