"""The browser-test tools themselves: axe-core must really find problems, offline."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PINNED_CONNECTIONS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROKEN_PAGE = """<!DOCTYPE html><html><head><title>t</title></head><body><main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<button></button>
</main></body></html>"""


def test_axe_runs_offline_and_reports_serious_violations(page, assert_accessible):
    page.route("**/*", lambda route: route.abort())  # no network at all: axe is bundled
    page.set_content(BROKEN_PAGE)

    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "button-name", "html-has-lang"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_main_thread_keeps_its_database_connection_while_chromium_runs(browser_world, page):
    from django.db import connections

    # Playwright's loop "runs" in this thread now; the browser fixture pins the connection.
    assert connections["default"] is PINNED_CONNECTIONS["default"]
    assert connections["default"].in_atomic_block  # the test's transaction, rolled back after
