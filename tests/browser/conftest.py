"""Browser-test infrastructure: a live Django server, one Chromium per run, axe-core checks.

How it fits together (and why):

* **Database.** ``tests/conftest.py`` builds the shared world once per session (district portal,
  Kreo, Kandang, their users) and runs every test in a transaction that is rolled back. Browser
  tests keep that contract: they are marked ``django_db`` (never ``transaction=True``) and do
  *not* use pytest-django's ``live_server`` fixture, because that one forces ``transactional_db``,
  whose flush after each test would wipe the session world (and Wagtail's root page) for every
  test that follows. ``browser_world`` re-points the sites at the live server's port once per
  package (committed, so the server sees it with PostgreSQL too), provisions whatever is missing
  (idempotent), adds an editor per village, and undoes its changes at the end of the package.
  With SQLite the server's writes roll back with the test; with PostgreSQL (CI) they are
  committed, so a test that saves something must not rely on, or leave behind, shared state.
* **Live server.** :class:`BrowserLiveServer` is Django's ``LiveServerThread`` bound to localhost
  on a free port, serving static files. With in-memory SQLite the server threads share the test's
  connection (as Django's and pytest-django's live servers do); Django requests are therefore run
  one at a time, since a connection's transaction state is not thread-safe. Chromium resolves
  ``*.localhost`` to loopback, so ``http://kreo.localhost:PORT/`` reaches the server with the Host
  header Wagtail needs to pick Kreo's Site.
* **Browser.** One Chromium (Debian's ``/usr/bin/chromium``; Playwright's downloaded browsers are
  not used) per package, a fresh context per test. Playwright's sync API leaves an asyncio loop
  "running" in the main thread, which makes Django refuse database calls from it
  (``SynchronousOnlyOperation``) and hand out *other* connections (asgiref's Local switches to
  context-variable storage while a loop runs). So while Chromium runs, ``DJANGO_ALLOW_ASYNC_UNSAFE``
  is set and the main thread's connections are pinned (``PINNED_CONNECTIONS``).
  No Chromium: the tests skip, except where ``SIDEKEM_REQUIRE_BROWSER`` or ``CI`` is set (as
  in ``.ci/run``): there they fail.
* **Checks.** Any HTTP 5xx answer during a test fails it. ``assert_accessible(page)`` runs
  axe-core (shipped inside axe-playwright-python, so it works offline) and fails on serious or
  critical violations. On failure, a screenshot and the HTML of every open page are saved under
  ``$SIDEKEM_BROWSER_ARTIFACTS`` (default: ``<tmp>/sidekem-browser-artifacts``).

Run: ``.venv/bin/python -m pytest tests/browser -m browser``.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SIDEKEM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-proxy-server",
]
DEFAULT_TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 640}
EDITOR_PASSWORD = "browser-test-pass-123"
SERIOUS_IMPACTS = frozenset({"serious", "critical"})
#: The main thread's database connections, pinned while Chromium runs (see ``browser``).
PINNED_CONNECTIONS: dict = {}
ARTIFACTS_DIR = Path(
    os.environ.get(
        "SIDEKEM_BROWSER_ARTIFACTS", Path(tempfile.gettempdir()) / "sidekem-browser-artifacts"
    )
)


@dataclass(frozen=True)
class VillageDef:
    key: str
    code: str
    name: str
    kecamatan_code: str
    kecamatan_name: str

    @property
    def hostname(self) -> str:
        return f"{self.key}.localhost"


VILLAGES = (
    VillageDef("kreo", "33.27.07.2013", "Kreo", "33.27.07", "Randudongkal"),
    VillageDef("kandang", "33.27.12.2017", "Kandang", "33.27.12", "Comal"),
)


# -- Django side ------------------------------------------------------------------------------


@contextlib.contextmanager
def allow_db_beside_playwright() -> Iterator[None]:
    """Let the main thread use the database while Playwright's sync loop is "running" in it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class _OneRequestAtATime:
    """WSGI wrapper running one Django request at a time (static files stay concurrent)."""

    def __init__(self, app, lock: threading.Lock):
        self.app = app
        self.lock = lock

    def __call__(self, environ, start_response):
        with self.lock:
            return self.app(environ, start_response)


class BrowserLiveServer:
    """Django's LiveServerThread on localhost and a free port, for hosts like kreo.localhost."""

    def __init__(self) -> None:
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.db import connections
        from django.test.testcases import LiveServerThread

        self.lock = threading.Lock()
        self._shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }

        def handler(app):
            return StaticFilesHandler(_OneRequestAtATime(app, self.lock))

        self.thread = LiveServerThread("localhost", handler, connections_override=self._shared)
        self.thread.daemon = True
        for conn in self._shared.values():
            conn.inc_thread_sharing()
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            error = self.thread.error
            self.stop()
            raise error

    @property
    def port(self) -> int:
        return self.thread.port

    def url(self, hostname: str, path: str = "/") -> str:
        return f"http://{hostname}:{self.port}{path}"

    def wait_idle(self) -> None:
        """Wait until no Django request is being handled (before the test's rollback)."""
        with self.lock:
            pass

    def stop(self) -> None:
        self.thread.terminate()
        for conn in self._shared.values():
            conn.dec_thread_sharing()


@dataclass(frozen=True)
class VillageInfo:
    key: str
    code: str
    name: str  # str(village), e.g. "Desa Kreo"
    short_name: str  # "Kreo"
    hostname: str
    kecamatan_name: str
    home_id: int
    en_home_id: int
    editor: str


@dataclass(frozen=True)
class BrowserWorld:
    """What the browser tests need to know about the provisioned data (no DB access needed)."""

    server: BrowserLiveServer
    district_name: str
    portal_id: int
    villages: dict[str, VillageInfo] = field(default_factory=dict)
    password: str = EDITOR_PASSWORD

    @property
    def kreo(self) -> VillageInfo:
        return self.villages["kreo"]

    @property
    def kandang(self) -> VillageInfo:
        return self.villages["kandang"]

    def url(self, host: str, path: str = "/") -> str:
        """``host`` is a village key ("kreo"), or any hostname ("nosuch.localhost")."""
        hostname = self.villages[host].hostname if host in self.villages else host
        return self.server.url(hostname, path)


@pytest.fixture(scope="package")
def browser_live_server(
    chromium_executable, django_db_setup, django_db_blocker
) -> Iterator[BrowserLiveServer]:
    with django_db_blocker.unblock():
        server = BrowserLiveServer()
    yield server
    server.stop()


def _provision(port: int):
    """Idempotent: provisions what is missing, then points the three sites at ``port``.

    Returns the world facts and a function that restores what was changed.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from wagtail.models import Site

    from core.provisioning.services import VillageSpec, ensure_district_portal, provision_village
    from core.website.models import VillageHomePage

    before = {site.pk: (site.hostname, site.port) for site in Site.objects.all()}
    portal = ensure_district_portal(hostname="localhost", port=port)
    sites = [Site.objects.get(is_default_site=True)]
    infos = {}
    users = []
    User = get_user_model()
    for spec in VILLAGES:
        village = provision_village(
            VillageSpec(
                code=spec.code,
                name=spec.name,
                kecamatan_code=spec.kecamatan_code,
                kecamatan_name=spec.kecamatan_name,
                hostname=spec.hostname,
                port=port,
            )
        ).village
        site = village.site
        if (site.hostname, site.port) != (spec.hostname, port):
            site.hostname, site.port = spec.hostname, port
            site.save()
        sites.append(site)
        username = f"browser.editor.{spec.key}"
        user, _ = User.objects.get_or_create(
            username=username, defaults={"first_name": "Editor", "last_name": spec.name}
        )
        user.set_password(EDITOR_PASSWORD)
        user.save()
        user.groups.add(village.editors_group)
        users.append(user.pk)
        homes = {
            page.locale.language_code: page.pk
            for page in VillageHomePage.objects.filter(village=village).select_related("locale")
        }
        infos[spec.key] = VillageInfo(
            key=spec.key,
            code=spec.code,
            name=str(village),
            short_name=spec.name,
            hostname=spec.hostname,
            kecamatan_name=str(village.kecamatan),
            home_id=homes["id"],
            en_home_id=homes["en"],
            editor=username,
        )
    cache.clear()

    def restore() -> None:
        for site in Site.objects.filter(pk__in=[s.pk for s in sites]):
            # Sites that existed before get their old address; new ones the default port.
            hostname, old_port = before.get(site.pk, (site.hostname, settings.SIDEKEM_SITE_PORT))
            if (site.hostname, site.port) != (hostname, old_port):
                site.hostname, site.port = hostname, old_port
                site.save()
        User.objects.filter(pk__in=users).delete()
        cache.clear()

    return portal, infos, restore


@pytest.fixture(scope="package")
def browser_world(browser_live_server, django_db_blocker) -> Iterator[BrowserWorld]:
    """District portal on localhost, Kreo and Kandang on kreo/kandang.localhost, live port."""
    from django.conf import settings

    with django_db_blocker.unblock(), allow_db_beside_playwright():
        portal, infos, restore = _provision(browser_live_server.port)
    yield BrowserWorld(
        server=browser_live_server,
        district_name=settings.SIDEKEM_DISTRICT_NAME,
        portal_id=portal.pk,
        villages=infos,
    )
    with django_db_blocker.unblock(), allow_db_beside_playwright():
        restore()


@pytest.fixture(autouse=True)
def _browser_test_contract(request):
    """Browser tests roll back like every other test; a flush would wipe the session world."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker and (marker.kwargs.get("transaction") or (marker.args[:1] == (True,)))
    if (
        marker is None
        or transactional
        or {"live_server", "transactional_db"} & set(request.fixturenames)
    ):
        pytest.fail(
            "Browser tests must be marked pytest.mark.django_db (not transaction=True) and use "
            "browser_world instead of live_server/transactional_db: see tests/browser/conftest.py",
            pytrace=False,
        )


# -- Chromium side ----------------------------------------------------------------------------


def _browser_required() -> bool:
    return any(
        os.environ.get(name, "").strip().lower() not in {"", "0", "false", "no"}
        for name in ("SIDEKEM_REQUIRE_BROWSER", "CI")
    )


@pytest.fixture(scope="package")
def chromium_executable() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        reason = (
            f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set SIDEKEM_CHROMIUM)"
        )
        if _browser_required():
            pytest.fail(
                f"{reason}; CI/SIDEKEM_REQUIRE_BROWSER require the browser tests", pytrace=False
            )
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="package")
def browser(chromium_executable):
    """One headless Chromium for all browser tests of the run."""
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError as exc:  # pragma: no cover - dev extras always have it
        if _browser_required():
            pytest.fail(f"playwright is not installed: {exc}", pytrace=False)
        pytest.skip(f"playwright is not installed: {exc}")
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    from django.db import connections

    # Django keeps connections in an asgiref Local that switches to context-variable storage
    # while an event loop runs in the thread, and Playwright's loop "runs" in the main thread
    # from start() to stop(). Without pinning, the main thread would open fresh connections:
    # each test's transaction would not be the one the live server shares (in-memory SQLite),
    # and a PostgreSQL connection would stay open, so the test database could not be dropped.
    own = {alias: connections[alias] for alias in connections}
    PINNED_CONNECTIONS.update(own)
    with allow_db_beside_playwright():
        playwright = sync_playwright().start()
        try:
            for alias, conn in own.items():
                connections[alias] = conn  # stored in the loop-time storage
            chromium = playwright.chromium.launch(
                executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()
        finally:
            for alias in own:
                with contextlib.suppress(AttributeError):
                    del connections[alias]
            PINNED_CONNECTIONS.clear()
            playwright.stop()


class PageFactory:
    """Opens pages, each in a fresh browser context; remembers them for checks and artifacts."""

    def __init__(self, browser, server: BrowserLiveServer | None):
        self.browser = browser
        self.server = server
        self.contexts = []
        self.server_errors: list[str] = []

    def __call__(self, *, viewport=None, mobile: bool = False, locale: str = "id-ID"):
        options = {
            "viewport": viewport or (PHONE if mobile else DESKTOP),
            "locale": locale,
            "timezone_id": "Asia/Jakarta",
        }
        if mobile:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        context = self.browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.on("response", self._on_response)
        self.contexts.append(context)
        return context.new_page()

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(
                f"{response.request.method} {response.url} → {response.status}"
            )

    @property
    def pages(self):
        return [page for context in self.contexts for page in context.pages]

    def save_artifacts(self, name: str) -> list[Path]:
        saved = []
        folder = ARTIFACTS_DIR / re.sub(r"[^\w.-]+", "_", name)[:150]
        folder.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(self.pages, start=1):
            with contextlib.suppress(Exception):
                shot = folder / f"page{number}.png"
                page.screenshot(path=str(shot), full_page=True, timeout=5_000)
                saved.append(shot)
            with contextlib.suppress(Exception):
                html = folder / f"page{number}.html"
                html.write_text(f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8")
                saved.append(html)
        return saved

    def close(self) -> None:
        for context in self.contexts:
            with contextlib.suppress(Exception):
                context.close()
        self.contexts.clear()
        if self.server is not None:
            self.server.wait_idle()


@pytest.fixture
def new_page(browser, request) -> Iterator[PageFactory]:
    """``new_page(mobile=True)`` → a Playwright page in its own context (locale id-ID).

    Any 5xx answer seen by these pages fails the test.
    """
    server = None
    if "browser_world" in request.fixturenames:
        server = request.getfixturevalue("browser_world").server
    factory = PageFactory(browser, server)
    yield factory
    factory.close()
    if factory.server_errors:
        pytest.fail(
            "Server errors during the test:\n" + "\n".join(factory.server_errors), pytrace=False
        )


@pytest.fixture
def page(new_page):
    """A desktop page (1280×800, locale id-ID) in a fresh context."""
    return new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        factory = getattr(item, "funcargs", {}).get("new_page")
        if isinstance(factory, PageFactory) and factory.pages:
            saved = factory.save_artifacts(item.nodeid)
            if saved:
                report.sections.append(
                    ("browser artifacts", "\n".join(str(path) for path in saved))
                )
    return report


# -- axe-core ---------------------------------------------------------------------------------


def axe_violations(page, *, impacts=SERIOUS_IMPACTS, context=None) -> list[dict]:
    """axe-core violations of the page with one of ``impacts`` (offline: the script is bundled)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = ", ".join(str(part) for part in node["target"])
            snippet = " ".join(node.get("html", "").split())[:200]
            lines.append(f"    at {target}: {snippet}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)``: no serious or critical axe-core violation on the page."""

    def check(page, *, context=None, impacts=SERIOUS_IMPACTS):
        found = axe_violations(page, impacts=impacts, context=context)
        assert not found, (
            f"axe-core found {len(found)} serious/critical violation(s) on {page.url}:\n"
            + format_violations(found)
        )

    return check
