"""Cache hits in one round trip to the shared cache (core/website/cache.py: the process's copy of
the host map, checked against the shared one read with the page) and one entry per page however
it was shared (tracking parameters dropped)."""

from __future__ import annotations

import pytest
from django.core.cache import cache as django_cache
from django.test import override_settings

from core.website import cache as page_cache


@pytest.fixture
def page_cache_on():
    with override_settings(SIDEKEM_PAGE_CACHE_SECONDS=300):
        yield


class CountingCache:
    """The shared cache, counting round trips."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __getattr__(self, name):
        method = getattr(django_cache, name)

        def call(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return call


def test_a_hit_is_one_round_trip(demo, client, page_cache_on, monkeypatch):
    assert client.get("/", HTTP_HOST=demo.kreo_host)["X-Sidekem-Cache"] == "miss"
    counting = CountingCache()
    monkeypatch.setattr(page_cache, "cache", counting)
    response = client.get("/", HTTP_HOST=demo.kreo_host)
    assert response["X-Sidekem-Cache"] == "hit"
    assert counting.calls == ["get_many"]


def test_a_stale_copy_of_the_host_map_is_not_trusted(demo, client, page_cache_on):
    kreo = client.get("/", HTTP_HOST=demo.kreo_host).content
    kandang = client.get("/", HTTP_HOST=demo.kandang_host).content
    # Another process changed the sites: this process's copy sends Kreo's host to Kandang.
    wrong = ({demo.kreo_host: ((80, demo.kandang.site_id, False),)}, None)
    page_cache._local_site_map = wrong
    response = client.get("/", HTTP_HOST=demo.kreo_host)
    assert response["X-Sidekem-Cache"] == "hit"
    assert response.content == kreo != kandang
    assert page_cache._local_site_map != wrong  # the shared map replaced it


def test_the_copy_follows_a_site_change(demo, client, page_cache_on):
    client.get("/", HTTP_HOST=demo.kandang_host)
    assert page_cache._local_site_map is not None
    site = demo.kandang.site
    site.hostname = "kandang-lagi.localhost"
    site.save()
    response = client.get("/", HTTP_HOST="kandang-lagi.localhost")
    assert response.status_code == 200 and "Kandang" in response.content.decode()
    assert client.get("/", HTTP_HOST="kandang-lagi.localhost")["X-Sidekem-Cache"] == "hit"


@pytest.mark.parametrize(
    "shared",
    [
        "/?fbclid=IwAR3xyz",
        "/?utm_source=whatsapp&utm_medium=social",
        "/?UTM_CAMPAIGN=panen&gclid=abc",
    ],
)
def test_tracking_parameters_share_the_plain_pages_entry(demo, client, page_cache_on, shared):
    plain = client.get("/", HTTP_HOST=demo.kreo_host)
    assert plain["X-Sidekem-Cache"] == "miss"
    response = client.get(shared, HTTP_HOST=demo.kreo_host)
    assert response["X-Sidekem-Cache"] == "hit"
    assert response.content == plain.content


def test_other_parameters_are_kept_and_tracking_ones_never_reach_the_page(
    demo, client, page_cache_on
):
    filtered = client.get("/berita/?kategori=pembangunan&utm_source=wa", HTTP_HOST=demo.kreo_host)
    assert filtered["X-Sidekem-Cache"] == "miss"
    assert b'value="pembangunan" selected' in filtered.content  # the view saw kategori
    assert b"utm_source" not in filtered.content
    every = client.get("/berita/?utm_source=wa", HTTP_HOST=demo.kreo_host)
    assert every["X-Sidekem-Cache"] == "miss" and every.content != filtered.content
    again = client.get("/berita/?kategori=pembangunan", HTTP_HOST=demo.kreo_host)
    assert again["X-Sidekem-Cache"] == "hit" and again.content == filtered.content


def test_tracking_parameter_names():
    assert page_cache.is_tracking_parameter("utm_source")
    assert page_cache.is_tracking_parameter("FBCLID")
    assert not page_cache.is_tracking_parameter("page")
    assert not page_cache.is_tracking_parameter("q")
