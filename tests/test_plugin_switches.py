"""The test plugin switched off for Kreo disappears at every enforcement point; on again, it's back.

Points (core/pluginhost/enforcement.py): 1 page creation, 2 serving incl. routable sub-pages,
menus, search listings and sitemaps, 3 non-page URLs, 4 admin menus and views, 5 receivers and
tasks.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Page

from core.pluginhost.enforcement import PLUGIN_DISABLED, exclude_disabled_plugin_pages
from core.pluginhost.models import PluginSwitch, PluginSwitchChange
from core.pluginhost.registry import get_plugin, plugin_defaults
from core.pluginhost.switches import is_enabled, set_plugin_enabled
from core.website.models import VillageHomePage
from tests.sample_plugin.models import SampleNote, SamplePage, SamplePing
from tests.sample_plugin.tasks import record_ping

pytestmark = pytest.mark.django_db


def switch(village, enabled, user=None):
    set_plugin_enabled([village], "sample", enabled, user, PluginSwitchChange.Source.COMMAND)


@pytest.fixture
def kreo_home(kreo):
    return VillageHomePage.objects.get(village=kreo, locale__language_code="id")


@pytest.fixture
def sample_page(kreo_home):
    page = SamplePage(title="Halaman Contoh", slug="contoh", show_in_menus=True)
    kreo_home.add_child(instance=page)
    page.save_revision().publish()
    return page


def host(village):
    return village.site.hostname


def test_registry_knows_the_test_plugin():
    cfg = get_plugin("sample")
    assert cfg.label == "sample_plugin"
    assert SamplePage in cfg.page_models
    assert plugin_defaults()["sample"] is True


def test_provisioning_switches_from_defaults(kreo):
    assert PluginSwitch.objects.get(village=kreo, plugin_key="sample").enabled is True
    assert is_enabled(kreo, "sample")
    assert is_enabled(kreo.site, "sample")
    assert not is_enabled(None, "sample"), "the district portal has no plugins"


def test_page_creation(kreo, kreo_home):
    assert SamplePage.can_create_at(kreo_home)
    switch(kreo, False)
    assert not SamplePage.can_create_at(kreo_home)
    switch(kreo, True)
    assert SamplePage.can_create_at(kreo_home)


def test_page_creation_refused_in_admin(client, kreo, kreo_home, kreo_editor):
    client.force_login(kreo_editor)
    url = reverse("wagtailadmin_pages:add", args=("sample_plugin", "samplepage", kreo_home.pk))
    assert client.get(url).status_code == 200
    switch(kreo, False)
    assert client.get(url).status_code in (302, 403)
    resp = client.post(url, {"title": "x", "slug": "x", "action-publish": "1"})
    assert resp.status_code in (302, 403)
    assert not SamplePage.objects.filter(slug="x").exists()


def test_serving_and_subpages(client, kreo, sample_page):
    assert client.get("/contoh/", HTTP_HOST=host(kreo)).status_code == 200
    assert client.get("/contoh/detail/", HTTP_HOST=host(kreo)).status_code == 200
    switch(kreo, False)
    assert client.get("/contoh/", HTTP_HOST=host(kreo)).status_code == 404
    assert client.get("/contoh/detail/", HTTP_HOST=host(kreo)).status_code == 404
    switch(kreo, True)
    assert client.get("/contoh/detail/", HTTP_HOST=host(kreo)).status_code == 200


def test_menu_hides_plugin_pages(client, kreo, sample_page):
    html = client.get("/", HTTP_HOST=host(kreo)).content.decode()
    assert "Halaman Contoh" in html
    switch(kreo, False)
    html = client.get("/", HTTP_HOST=host(kreo)).content.decode()
    assert "Halaman Contoh" not in html


def test_listing_helper_excludes_disabled_plugin_pages(kreo, kreo_home, sample_page):
    children = kreo_home.get_children().live()
    assert sample_page.pk in exclude_disabled_plugin_pages(children, kreo).values_list(
        "pk", flat=True
    )
    switch(kreo, False)
    assert sample_page.pk not in exclude_disabled_plugin_pages(children, kreo).values_list(
        "pk", flat=True
    )


def test_sitemap(client, kreo, sample_page):
    xml = client.get("/sitemap.xml", HTTP_HOST=host(kreo)).content.decode()
    assert "/contoh/" in xml
    switch(kreo, False)
    xml = client.get("/sitemap.xml", HTTP_HOST=host(kreo)).content.decode()
    assert "/contoh/" not in xml
    assert "<loc>" in xml, "the rest of the sitemap is still there"


def test_non_page_urls(client, kreo, kandang):
    assert client.get("/sample/ping/", HTTP_HOST=host(kreo)).json() == {"village": kreo.code}
    switch(kreo, False)
    assert client.get("/sample/ping/", HTTP_HOST=host(kreo)).status_code == 404
    assert client.get("/sample/ping/", HTTP_HOST=host(kandang)).status_code == 200
    # the district portal has no plugins at all
    assert client.get("/sample/ping/", HTTP_HOST="localhost").status_code == 404


def test_site_root_urls(client, kreo, kandang):
    """``root_urls``: at the site root on a village host while the plugin is on there, and on
    the district portal, serving the villages with the plugin on; ``portal_only`` views 404 on
    village hosts."""
    assert reverse("sample_plugin_root:everywhere") == "/sample-everywhere/"
    kreo_answer = client.get("/sample-everywhere/", HTTP_HOST=host(kreo))
    assert kreo_answer.json() == {"villages": [kreo.code]}
    assert kreo.pk in client.get("/sample-everywhere/", HTTP_HOST="localhost").json()["villages"]
    assert client.get("/sample-district/", HTTP_HOST="localhost").json() == {"district": True}
    assert client.get("/sample-district/", HTTP_HOST=host(kreo)).status_code == 404
    switch(kreo, False)
    assert client.get("/sample-everywhere/", HTTP_HOST=host(kreo)).status_code == 404
    assert client.get("/sample-everywhere/", HTTP_HOST=host(kandang)).status_code == 200
    portal = client.get("/sample-everywhere/", HTTP_HOST="localhost").json()["villages"]
    assert kreo.pk not in portal and kandang.pk in portal


def test_admin_menu_and_views(client, kreo, kreo_editor):
    note = SampleNote.objects.create(village=kreo, title="Catatan Kreo")
    client.force_login(kreo_editor)
    index = reverse("sample_notes:index")
    edit = reverse("sample_notes:edit", args=[note.pk])
    assert f'"url": "{index}"' in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(index).status_code == 200
    assert client.get(edit).status_code == 200
    switch(kreo, False)
    assert f'"url": "{index}"' not in client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (
        index,
        edit,
        reverse("sample_notes:add"),
        reverse("sample_notes:delete", args=[note.pk]),
    ):
        assert client.get(url).status_code == 403, url
    resp = client.post(reverse("sample_notes:delete", args=[note.pk]))
    assert resp.status_code == 403
    assert SampleNote.objects.filter(pk=note.pk).exists(), "disabling never deletes data"
    switch(kreo, True)
    assert client.get(edit).status_code == 200


def test_admin_edit_of_existing_plugin_page_refused(client, kreo, kreo_editor, sample_page):
    client.force_login(kreo_editor)
    url = reverse("wagtailadmin_pages:edit", args=[sample_page.pk])
    assert client.get(url).status_code == 200
    switch(kreo, False)
    assert client.get(url).status_code == 403
    switch(kreo, True)
    assert client.get(url).status_code == 200


def test_signal_receiver(kreo, kandang):
    SampleNote.objects.create(village=kreo, title="a")
    assert SamplePing.objects.filter(village=kreo, source="signal").count() == 1
    switch(kreo, False)
    SampleNote.objects.create(village=kreo, title="b")
    SampleNote.objects.create(village=kandang, title="c")
    assert SamplePing.objects.filter(village=kreo, source="signal").count() == 1
    assert SamplePing.objects.filter(village=kandang, source="signal").count() == 1


def test_task_checks_switch_when_it_runs(kreo):
    assert isinstance(record_ping(kreo.pk), int)
    switch(kreo, False)
    # queued while on, run while off: the body sees the switch as it is now
    assert record_ping.apply(args=[kreo.pk]).get() == PLUGIN_DISABLED
    assert SamplePing.objects.filter(village=kreo, source="task").count() == 1
    switch(kreo, True)
    record_ping.apply(args=[kreo.pk]).get()
    assert SamplePing.objects.filter(village=kreo, source="task").count() == 2


def test_is_enabled_is_cached_and_invalidated(kreo, django_assert_num_queries):
    is_enabled(kreo, "sample")
    with django_assert_num_queries(0):
        assert is_enabled(kreo, "sample")
    switch(kreo, False)
    assert not is_enabled(kreo, "sample")
    with django_assert_num_queries(0):
        assert not is_enabled(kreo, "sample")


def test_disabling_keeps_data(kreo, sample_page):
    switch(kreo, False)
    assert Page.objects.filter(pk=sample_page.pk).exists()
    switch(kreo, True)
    assert Page.objects.get(pk=sample_page.pk).live
