"""A change of a village's data (core/villagedata/signal_handlers.py) bumps its page cache and,
once committed, clears its host from the front cache (Varnish bans it), never another village's."""

from __future__ import annotations

import pytest
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from core.villagedata.choices import PopulationCategory
from core.villagedata.models import PopulationFigure

SENT: list[tuple[str, str]] = []


class RecordingBackend(BaseBackend):
    """A front cache that bans hosts, like core.website.frontend_cache.VarnishBackend."""

    def purge(self, url):
        SENT.append(("PURGE", url))

    def ban_hosts(self, hosts):
        SENT.extend(("BAN", host) for host in hosts)


@pytest.fixture
def front_cache(settings):
    SENT.clear()
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": f"{__name__}.RecordingBackend"}}
    yield
    SENT.clear()


def _figure(village, label="Uji purge", value=1200):
    return PopulationFigure(
        village=village,
        year=2024,
        category=PopulationCategory.choices[0][0],
        label=label,
        value=value,
    )


def test_village_data_changes_ban_the_villages_host(
    demo, front_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        figure = _figure(demo.kreo)
        figure.save()
        assert SENT == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert SENT == [("BAN", demo.kreo_host)]

    for change in (lambda: (setattr(figure, "value", 1300), figure.save()), figure.delete):
        SENT.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        assert SENT == [("BAN", demo.kreo_host)]
    assert not any(demo.kandang_host in target for _action, target in SENT)
