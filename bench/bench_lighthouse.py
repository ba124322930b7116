"""Lighthouse (mobile) scores of the demo's public pages: village home, a news article, the
village data page and the district portal.

Brings up the demo on a fresh SQLite database (dev settings, runserver) on a free port, runs
Lighthouse 12 from tools/lighthouse (``npm ci`` there first; ``make bench-lighthouse`` does) with
Debian's chromium, and prints the four category scores per page plus every SEO audit that did not
pass. Performance under runserver is indicative only; SEO, accessibility and best practices do not
depend on the server.

    .venv/bin/python bench/bench_lighthouse.py [--keep] [--categories seo,accessibility]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "site" / "manage.py")]
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def fetch(url: str, host: str) -> str:
    request = urllib.request.Request(url, headers={"Host": host})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def first_link(html: str, prefix: str) -> str:
    """First href on the page that starts with ``prefix`` and goes one level deeper."""
    for href in re.findall(r'href="([^"#?]+)"', html):
        rest = href[len(prefix) :].strip("/")
        if href.startswith(prefix) and rest and "/" not in rest and rest not in ("feed", "tag"):
            return href
    raise SystemExit(f"no link under {prefix}")


def lighthouse(url: str, categories: list[str]) -> dict:
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(categories)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--categories", default=",".join(CATEGORIES))
    args = parser.parse_args()
    categories = [c for c in args.categories.split(",") if c]
    if not LIGHTHOUSE.exists():
        raise SystemExit("run `npm ci` in tools/lighthouse first (make bench-lighthouse does)")

    workdir = Path(tempfile.mkdtemp(prefix="sidekem-lighthouse-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sidekem_site.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "SIDEKEM_SITE_PORT": str(port),
    }
    env.pop("REDIS_URL", None)
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*MANAGE, "seed_demo", "--port", str(port)], env=env, check=True)
    server = subprocess.Popen(
        [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        kreo = f"kreo.localhost:{port}"
        news = first_link(fetch(base + "/berita/", kreo), "/berita/")
        pages = {
            "village home": f"http://{kreo}/",
            "news article": f"http://{kreo}{news}",
            "village data": f"http://{kreo}/data-desa/",
            "district portal": f"http://localhost:{port}/",
        }
        version = subprocess.run(
            [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        print(f"Lighthouse {version}, mobile, demo under runserver, load {os.getloadavg()[0]:.1f}")
        header = f"{'page':<17}" + "".join(f"{c:>16}" for c in categories)
        print(header)
        for name, url in pages.items():
            report = lighthouse(url, categories)
            scores = {c: report["categories"][c]["score"] for c in categories}
            print(
                f"{name:<17}"
                + "".join(f"{'-' if s is None else round(s * 100):>16}" for s in scores.values())
            )
            for ref in report["categories"].get("seo", {}).get("auditRefs", []):
                audit = report["audits"][ref["id"]]
                if ref.get("weight") and audit.get("score") not in (1, None):
                    print(f"    SEO audit not passed: {ref['id']}: {audit.get('title')}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
