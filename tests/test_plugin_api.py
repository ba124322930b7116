"""Plugin API v2: keys taken from the app, the system check, bound tasks, admin gating for the
user's villages whatever the host, per-village plugin settings, dashboard panels, and the
post-migrate permission sync."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import get_resolver, reverse
from sidekem_site.celery import app as celery_app
from wagtail import hooks
from wagtail.models import GroupSitePermission

from core.confinement.viewsets import VillageDataViewSet
from core.pluginhost.checks import check_plugin_keys, plugin_key_errors
from core.pluginhost.enforcement import PLUGIN_DISABLED, page_plugin_key
from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.registry import DECLARED_KEYS
from core.pluginhost.switches import set_plugin_enabled
from tests.sample_plugin.models import SampleNote, SamplePage, SamplePing, SampleSettings
from tests.sample_plugin.signal_handlers import note_saved
from tests.sample_plugin.tasks import flaky_ping, ping_about_note, ping_every_village, record_ping
from tests.sample_plugin.viewsets import sample_note_viewset
from tests.test_isolation_sweep import build_path, walk

pytestmark = pytest.mark.django_db


def switch(village, enabled):
    set_plugin_enabled([village], "sample", enabled, None, PluginSwitchChange.Source.COMMAND)


# -- the key is written once -------------------------------------------------------------------


def test_every_extension_point_finds_the_sample_plugin_from_its_app():
    assert page_plugin_key(SamplePage) == "sample"
    assert sample_note_viewset.get_plugin_key() == "sample"
    assert note_saved.sidekem_plugin_key == "sample"
    assert record_ping.sidekem_plugin_key == "sample"
    assert flaky_ping.sidekem_plugin_key == "sample"
    assert SampleSettings._meta.app_config.get_key() == "sample"


def test_system_check_passes_as_configured():
    assert check_plugin_keys() == []


@pytest.fixture
def declared_keys():
    """The keys written in code, restored after the test adds a wrong one."""
    saved = list(DECLARED_KEYS)
    yield DECLARED_KEYS
    DECLARED_KEYS[:] = saved


def test_system_check_fails_on_a_misspelled_key(declared_keys):
    class MisspelledViewSet(VillageDataViewSet):
        model = SampleNote
        plugin_key = "smaple"
        name = "misspelled"

    key = MisspelledViewSet().get_plugin_key()
    assert key == "smaple"  # an explicit key stays possible...
    errors = plugin_key_errors()
    assert [e.id for e in errors] == ["sidekem.E001"]  # ...and the check names the typo
    assert "'smaple'" in errors[0].msg and "MisspelledViewSet" in errors[0].msg
    assert "sample" in errors[0].hint


def test_check_asks_registered_viewsets_and_panels(declared_keys, monkeypatch):
    """A key written on a viewset or panel is checked even before anyone opens its view."""
    from wagtail.admin.viewsets import viewsets as registry

    from core.pluginhost.panels import HomePanel

    class LateViewSet(VillageDataViewSet):
        model = SampleNote
        plugin_key = "sampel"
        name = "late"

    class LatePanel(HomePanel):
        plugin_key = "sampl"

    monkeypatch.setattr(registry, "viewsets", [*registry.viewsets, LateViewSet()])
    with hooks.register_temporarily("register_home_panel", lambda: LatePanel):
        messages = [e.msg for e in check_plugin_keys()]
    assert any("'sampel'" in m and "LateViewSet" in m for m in messages), messages
    assert any("'sampl'" in m and "LatePanel" in m for m in messages), messages


def test_manage_py_check_fails_on_a_misspelled_receiver_key(declared_keys):
    from django.db.models.signals import post_save

    from core.pluginhost.enforcement import plugin_receiver

    @plugin_receiver(post_save, village_of=lambda **kw: None, key="smaple", sender=SampleNote)
    def misspelled(sender, **kwargs):
        raise AssertionError("never runs: no plugin 'smaple' is on anywhere")

    try:
        with pytest.raises(SystemCheckError, match="sidekem.E001"):
            call_command("check")
    finally:
        post_save.disconnect(
            sender=SampleNote, dispatch_uid=f"{__name__}.{misspelled.__qualname__}"
        )


# -- tasks ----------------------------------------------------------------------------------------


def test_bound_task_gets_itself_and_checks_the_switch(kreo):
    """With ``bind=True`` the village id is the argument after the task (retries run through
    a real worker in tests/test_celery_worker.py: in process, Celery does not retry)."""
    assert SamplePing.objects.get(pk=flaky_ping.delay(kreo.pk).get()).source == "retry-0"
    switch(kreo, False)
    assert flaky_ping.delay(kreo.pk, failures=0).get() == PLUGIN_DISABLED


def test_beat_schedule_of_the_plugin_is_in_the_celery_app(kreo, kandang):
    """``PluginConfig.beat_schedule`` joins the Celery app's schedule (core/pluginhost/apps.py);
    the periodic task then works only for the villages with the plugin on."""
    entry = celery_app.conf.beat_schedule["sample-ping-every-village"]
    assert entry["task"] == ping_every_village.name
    switch(kreo, False)
    before = SamplePing.objects.filter(source="beat").count()
    ping_every_village.delay().get()
    pinged = set(SamplePing.objects.filter(source="beat").values_list("village_id", flat=True))
    assert kandang.pk in pinged and kreo.pk not in pinged
    assert SamplePing.objects.filter(source="beat").count() > before


def test_an_id_of_no_village_has_no_plugins(kreo):
    from core.pluginhost.switches import is_enabled

    missing = kreo.pk + 10_000
    assert is_enabled(kreo.pk, "sample") and not is_enabled(missing, "sample")
    assert record_ping.delay(missing).get() == PLUGIN_DISABLED


def test_task_takes_the_village_as_a_keyword(kreo, kandang):
    pk = record_ping.delay(village_id=kreo.pk, source="kw").get()
    assert SamplePing.objects.get(pk=pk).source == "kw"
    switch(kreo, False)
    assert record_ping.delay(village_id=kreo.pk, source="kw").get() == PLUGIN_DISABLED
    # a keyword village wins over a first positional argument that is something else
    assert ping_about_note.delay(kandang.pk, village_id=kreo.pk).get() == PLUGIN_DISABLED
    pk = ping_about_note.delay(kreo.pk, village_id=kandang.pk).get()
    assert SamplePing.objects.get(pk=pk).village_id == kandang.pk


# -- admin gating ---------------------------------------------------------------------------------

PLUGIN_ROUTES = ("admin/sample_notes/", "admin/sample/", "admin/settings/<slug:app_name>/")


def sample_admin_urls(village, note):
    """Every admin URL of the sample plugin, from the URL resolver, filled with the village's
    own objects."""
    urls = []
    for route, _pattern in walk(get_resolver().url_patterns):
        if not route.startswith(PLUGIN_ROUTES) or "preview" in route:
            continue
        values = {"pk": note.pk, "app_name": "sample_plugin", "model_name": "samplesettings"}
        if route.startswith("admin/settings/"):
            values["pk"] = village.site_id
        urls.append(build_path(route, values))
    return urls


MENU_LABELS = ("Catatan contoh", "Laporan contoh", "Sample settings")


def test_plugin_switched_off_for_kreo_leaves_kreo_admin_only(client, kreo, kandang):
    """editor.kreo loses the plugin's menu items and every admin view, on any host, while
    editor.kandang keeps them (moderators, who may edit the plugin's settings, likewise)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    kreo_user = User.objects.create_user("moderator.kreo.gate", password="x")
    kreo_user.groups.add(kreo.moderators_group)
    kandang_user = User.objects.create_user("moderator.kandang.gate", password="x")
    kandang_user.groups.add(kandang.moderators_group)
    notes = {
        kreo.pk: SampleNote.objects.create(village=kreo, title="Catatan Kreo"),
        kandang.pk: SampleNote.objects.create(village=kandang, title="Catatan Kandang"),
    }
    switch(kreo, False)
    checked = 0
    for user, village, gated in ((kreo_user, kreo, True), (kandang_user, kandang, False)):
        client.force_login(user)
        for host in (village.site.hostname, "localhost", "kandang.localhost"):
            dashboard = client.get("/admin/", HTTP_HOST=host).content.decode()
            for label in MENU_LABELS:
                assert (label in dashboard) is not gated, (user, host, label)
            assert ("sample-dashboard-panel" in dashboard) is not gated
        urls = sample_admin_urls(village, notes[village.pk])
        assert len(urls) >= 8, urls
        for url in urls:
            response = client.get(url, HTTP_HOST="localhost")
            checked += 1
            if gated:
                assert response.status_code == 403, url
                assert "Plugin contoh" in response.content.decode()
            else:
                assert response.status_code in (200, 302), (url, response.status_code)
    assert checked >= 16
    assert SampleNote.objects.filter(pk=notes[kreo.pk].pk).exists()


def test_dashboard_panel_counts_only_villages_where_the_plugin_is_on(
    client, kreo, kandang, district_admin
):
    SampleNote.objects.create(village=kreo, title="a")
    SampleNote.objects.create(village=kandang, title="b")
    SampleNote.objects.create(village=kandang, title="c")
    client.force_login(district_admin)
    body = client.get("/admin/").content.decode()
    assert "Catatan contoh: 3 (" in body
    switch(kreo, False)
    body = client.get("/admin/").content.decode()
    assert "Catatan contoh: 2 (Kandang)" in body


# -- per-village plugin settings ------------------------------------------------------------------


def test_plugin_settings_for_the_villages_moderators_while_on(client, kreo, kandang, kreo_editor):
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.get(username="moderator.kreo")
    own = reverse("wagtailsettings:edit", args=["sample_plugin", "samplesettings", kreo.site_id])
    other = reverse(
        "wagtailsettings:edit", args=["sample_plugin", "samplesettings", kandang.site_id]
    )
    client.force_login(moderator)
    assert client.get(own).status_code == 200
    response = client.post(own, {"signer": "Sekretaris Desa Kreo"})
    assert response.status_code == 302
    assert SampleSettings.for_site(kreo.site).signer == "Sekretaris Desa Kreo"
    assert SampleSettings.for_village(kreo).signer == "Sekretaris Desa Kreo"
    # another village's settings: Wagtail's per-site permission refuses
    assert client.get(other).status_code == 302
    assert client.post(other, {"signer": "x"}).status_code == 302
    assert SampleSettings.for_site(kandang.site).signer == ""
    # editors have no permission on the plugin's settings
    client.force_login(kreo_editor)
    assert client.get(own).status_code == 302
    # switched off: refused, and the plugin sees no settings
    switch(kreo, False)
    client.force_login(moderator)
    assert client.get(own).status_code == 403
    assert client.post(own, {"signer": "y"}).status_code == 403
    assert SampleSettings.for_village(kreo) is None
    assert SampleSettings.for_site(kreo.site).signer == "Sekretaris Desa Kreo"  # data stays


def test_plugin_settings_permission_is_per_site_not_global(kreo):
    perm = Permission.objects.get(codename="change_samplesettings")
    assert not kreo.moderators_group.permissions.filter(pk=perm.pk).exists()
    assert GroupSitePermission.objects.filter(
        group=kreo.moderators_group, site=kreo.site, permission=perm
    ).exists()


# -- post-migrate sync ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migrate_grants_a_removed_permission_back():
    from core.provisioning.services import provision_village
    from tests.conftest import KREO

    kreo = provision_village(KREO).village
    perm = Permission.objects.get(codename="change_samplenote")
    site_perm = Permission.objects.get(codename="change_samplesettings")
    kreo.editors_group.permissions.remove(perm)
    GroupSitePermission.objects.filter(group=kreo.moderators_group, permission=site_perm).delete()
    call_command("migrate", verbosity=0)
    assert kreo.editors_group.permissions.filter(pk=perm.pk).exists()
    assert GroupSitePermission.objects.filter(
        group=kreo.moderators_group, site=kreo.site, permission=site_perm
    ).exists()
