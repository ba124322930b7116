"""Benchmark through a real server: gunicorn, PostgreSQL, Redis, Varnish, loaded with wrk.

Builds its own PostgreSQL database (dropped and created again, then migrated and seeded with the
demo district, ``seed_demo``) and uses its own Redis database, then runs, on free ports:

* gunicorn A: 2 sync workers, production settings (DEBUG off, WhiteNoise with hashed static
  files, Redis cache), the page cache on;
* gunicorn B: the same with the page cache off (``SIDEKEM_PAGE_CACHE_SECONDS=0``): every request
  renders (fragments, core/website/fragments.py, stay on as in production);
* varnishd with deploy/varnish/sidekem.vcl (only its backend port changed) in front of A.

and loads each page with ``wrk`` (8 connections): a static CSS file served by the same stack,
the Kreo village home and a news article, from A (page cache hits), B (cache off) and Varnish.
Each figure is the median of ``--repeat`` runs (rounds interleaved, so a busy moment of the
machine spreads over every page) and is shown as a ratio to the static file of the same run.
Not a test: the figures depend on the machine and on whatever else runs on it; the load average
is printed first.

    python bench/bench_http.py                       # 10 s per run, 3 runs
    python bench/bench_http.py --duration 5 --repeat 1
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekem_bench_http \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/5 python bench/bench_http.py

Needs ``wrk`` and ``varnishd`` (Debian: ``apt-get install wrk varnish``), PostgreSQL and Redis.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "sidekem.vcl"
PYTHON = sys.executable
HOST = "kreo.localhost"
ARTICLE = "/berita/rabat-beton-jalan-dusun/"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/sidekem_bench_http"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"
SETTINGS = """\
# Written by bench/bench_http.py: production settings, plus the demo data's app; no Celery
# worker runs in the bench, so tasks (none during the measurements) run in process.
from sidekem_site.settings.production import *  # noqa: F403
from sidekem_site.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "core.demo"]
CELERY_TASK_ALWAYS_EAGER = True
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, name: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not start listening on {port}") from None
            time.sleep(0.2)


def require(tool: str, hint: str) -> str:
    path = shutil.which(tool) or ""
    if not path and os.path.exists(f"/usr/sbin/{tool}"):
        path = f"/usr/sbin/{tool}"
    if not path:
        raise SystemExit(f"{tool} not found: {hint}")
    return path


# -- The environment --------------------------------------------------------------------------


def base_env(workdir: Path, database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="sidekem_bench_settings",
        PYTHONPATH=os.pathsep.join([str(workdir), str(ROOT), str(ROOT / "site")]),
        SECRET_KEY="bench-http-only",
        ALLOWED_HOSTS=".localhost,localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX="sidekem-bench-http",
        SIDEKEM_DATA_DIR=str(workdir),  # collected static files (STATIC_ROOT) go here
        MEDIA_ROOT=str(workdir / "media"),
        SIDEKEM_SITE_PORT="80",
        SIDEKEM_PAGE_CACHE_SECONDS="300",
    )
    # The bench's own front cache is measured, never purged by the app (no purge is sent).
    env.pop("SIDEKEM_VARNISH_URL", None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "site" / "manage.py"), *args], env=env, check=True)


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or not name.startswith("sidekem_bench"):
        raise SystemExit(f"refusing to recreate {name!r}: use a sidekem_bench* database")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def prepare(env: dict[str, str], database_url: str, redis_url: str) -> None:
    log(f"Database {database_url}: created again, migrated, seeded with the demo data")
    recreate_database(database_url)
    flush_redis(redis_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--port", "80")
    manage(env, "collectstatic", "--noinput", "-v0")
    flush_redis(redis_url)


# -- Servers ----------------------------------------------------------------------------------


class Servers:
    def __init__(self) -> None:
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict[str, str], port: int, logfile: Path):
        out = logfile.open("w")
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append((name, process))
        wait_for_port(port, process, name)
        return process

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def gunicorn(servers: Servers, env: dict[str, str], port: int, workdir: Path, name: str):
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "sidekem_site.wsgi:application",
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]
    servers.start(name, command, env, port, workdir / f"{name}.log")


def varnish(servers: Servers, binary: str, backend_port: int, port: int, workdir: Path) -> None:
    text, count = re.subn(r'\.port = "8000";', f'.port = "{backend_port}";', VCL.read_text())
    if count != 1:
        raise SystemExit("the backend port of deploy/varnish/sidekem.vcl moved")
    vcl = workdir / "sidekem.vcl"
    vcl.write_text(text)
    # As tests/test_front_cache.py: foreground, no privilege separation, no admin port.
    command = [
        binary,
        "-F",
        "-j",
        "none",
        "-n",
        str(workdir / "varnish"),
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "none",
        "-f",
        str(vcl),
        "-s",
        "malloc,64m",
    ]
    servers.start("varnishd", command, dict(os.environ), port, workdir / "varnishd.log")


# -- Measuring --------------------------------------------------------------------------------


def fetch(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * UNITS[match.group(2)]


def wrk(binary: str, port: int, path: str, duration: int, connections: int) -> Run:
    output = subprocess.run(
        [
            binary,
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-H",
            f"Host: {HOST}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Run(rps, p50, p99, errors)


@dataclass
class Target:
    label: str
    port: int
    path: str
    expect_cache: str = ""  # X-Sidekem-Cache (A) or X-Cache (Varnish) after warming up


def warm(target: Target) -> None:
    for _ in range(3):
        status, headers, _body = fetch(target.port, target.path)
        if status != 200:
            raise SystemExit(f"{target.label}: HTTP {status}")
    if target.expect_cache:
        header, value = target.expect_cache.split("=")
        if headers.get(header, "").lower() != value.lower():
            raise SystemExit(f"{target.label}: expected {header}: {value}, got {headers}")


def static_css_path(port: int) -> str:
    _status, _headers, body = fetch(port, "/")
    match = re.search(rb'<link rel="stylesheet" href="([^"]+\.css)"', body)
    if not match:
        raise SystemExit("no stylesheet link on the home page")
    return match.group(1).decode()


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPU(s)"


def report(targets: list[Target], runs: dict[str, list[Run]], args) -> None:
    base = statistics.median(r.rps for r in runs[targets[0].label])
    print()
    print(
        f"wrk -t2 -c{args.connections} -d{args.duration}s, median of {args.repeat} run(s); "
        "ratio = req/s over the static file's"
    )
    print(f"{'page':<44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'errors':>6}")
    for target in targets:
        results = runs[target.label]
        rps = statistics.median(r.rps for r in results)
        p50 = statistics.median(r.p50_ms for r in results)
        p99 = statistics.median(r.p99_ms for r in results)
        errors = sum(r.errors for r in results)
        print(
            f"{target.label:<44} {rps:>9.0f} {p50:>8.2f} {p99:>8.2f} {rps / base:>7.3f} {errors:>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (median shown)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument(
        "--reuse-database", action="store_true", help="skip creating and seeding the database"
    )
    args = parser.parse_args()

    wrk_binary = require("wrk", "apt-get install wrk")
    varnishd = require("varnishd", "apt-get install varnish")
    print(f"Before the run: {load_average()} (other processes on this machine count too)")

    workdir = Path(tempfile.mkdtemp(prefix="sidekem-bench-http-"))
    (workdir / "sidekem_bench_settings.py").write_text(SETTINGS)
    env = base_env(workdir, args.database_url, args.redis_url)
    if args.reuse_database:
        manage(env, "collectstatic", "--noinput", "-v0")
        flush_redis(args.redis_url)
    else:
        prepare(env, args.database_url, args.redis_url)

    servers = Servers()
    try:
        port_a, port_b, port_v = free_port(), free_port(), free_port()
        gunicorn(servers, env, port_a, workdir, "gunicorn-cache-on")
        gunicorn(
            servers, {**env, "SIDEKEM_PAGE_CACHE_SECONDS": "0"}, port_b, workdir, "gunicorn-off"
        )
        varnish(servers, varnishd, port_a, port_v, workdir)
        css = static_css_path(port_a)
        targets = [
            Target("static CSS (WhiteNoise, gunicorn)", port_a, css),
            Target("Kreo home, page cache hit", port_a, "/", "X-Sidekem-Cache=hit"),
            Target("Kreo news article, page cache hit", port_a, ARTICLE, "X-Sidekem-Cache=hit"),
            Target("Kreo home, page cache off", port_b, "/"),
            Target("Kreo news article, page cache off", port_b, ARTICLE),
            Target("static CSS through Varnish", port_v, css, "X-Cache=HIT"),
            Target("Kreo home through Varnish", port_v, "/", "X-Cache=HIT"),
            Target("Kreo news article through Varnish", port_v, ARTICLE, "X-Cache=HIT"),
        ]
        for target in targets:
            warm(target)
        runs: dict[str, list[Run]] = {t.label: [] for t in targets}
        for round_number in range(args.repeat):
            log(f"Round {round_number + 1} of {args.repeat}: {load_average()}")
            for target in targets:
                warm(target)  # a page cache entry may have expired in a long run
                runs[target.label].append(
                    wrk(wrk_binary, target.port, target.path, args.duration, args.connections)
                )
        print(f"After the run: {load_average()}")
        report(targets, runs, args)
    finally:
        servers.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
