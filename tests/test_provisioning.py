from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from core.pluginhost.models import PluginSwitch, PluginSwitchChange
from core.pluginhost.registry import plugin_defaults
from core.provisioning.services import VillageSpec, provision_village
from core.villages.models import Village
from core.website.models import VillageHomePage
from tests.conftest import KREO

pytestmark = pytest.mark.django_db


def counts():
    return (
        Site.objects.count(),
        Page.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        GroupSitePermission.objects.count(),
        PluginSwitch.objects.count(),
        PluginSwitchChange.objects.count(),
        Village.objects.count(),
    )


def test_provisioned_village_has_everything(kreo):
    assert kreo.site.hostname == "kreo.localhost"
    assert not kreo.site.is_default_site
    home = VillageHomePage.objects.get(village=kreo, locale__language_code="id")
    en = VillageHomePage.objects.get(village=kreo, locale__language_code="en")
    assert kreo.site.root_page_id == home.pk
    assert en.translation_key == home.translation_key and en.live
    assert kreo.collection.name.startswith("Desa Kreo")
    for group in (kreo.editors_group, kreo.moderators_group, kreo.officers_group):
        assert group.permissions.filter(codename="access_admin").exists()
    for page in (home, en):
        assert GroupPagePermission.objects.filter(
            group=kreo.editors_group, page=page, permission__codename="publish_page"
        ).exists()
    assert GroupCollectionPermission.objects.filter(
        group=kreo.editors_group, collection=kreo.collection, permission__codename="add_image"
    ).exists()
    assert GroupSitePermission.objects.filter(group=kreo.editors_group, site=kreo.site).exists()
    # one switch per installed plugin, set to the plugin's default
    switches = dict(PluginSwitch.objects.filter(village=kreo).values_list("plugin_key", "enabled"))
    assert switches == plugin_defaults()
    assert switches["sample"] is True and switches["umkm"] is False


def test_provisioning_twice_changes_nothing(kreo):
    before = counts()
    result = provision_village(KREO)
    assert result.created is False
    assert result.changes == []
    assert counts() == before


def test_command_is_idempotent_and_uses_official_list(db):
    out = StringIO()
    call_command(
        "village",
        "create",
        "--code",
        "33.27.06.2011",
        "--hostname",
        "bantarbolang.localhost",
        stdout=out,
    )
    village = Village.objects.get(code="33.27.06.2011")
    assert village.name == "Bantarbolang" and village.kecamatan.name == "Bantarbolang"
    assert "dibuat" in out.getvalue()
    before = counts()
    out = StringIO()
    call_command(
        "village",
        "create",
        "--code",
        "33.27.06.2011",
        "--hostname",
        "bantarbolang.localhost",
        stdout=out,
    )
    assert "tidak ada perubahan" in out.getvalue()
    assert counts() == before
    out = create("--code", "33.27.06.2011", "--hostname", "lain.localhost")
    assert "nama host: bantarbolang.localhost (tidak diubah menjadi lain.localhost" in out
    assert counts() == before


def test_command_rejects_bad_code(db):
    with pytest.raises(CommandError):
        call_command("village", "create", "--code", "33.27.99", "--name", "X", "--kecamatan", "Y")


def test_kelurahan_kind_follows_code(db):
    village = provision_village(
        VillageSpec(
            code="33.27.08.1004",
            name="Paduraksa",
            kecamatan_code="33.27.08",
            kecamatan_name="Pemalang",
            hostname="paduraksa.localhost",
        )
    ).village
    assert village.kind == Village.Kind.KELURAHAN
    assert str(village) == "Kelurahan Paduraksa"


@pytest.mark.parametrize(
    "host,expected",
    [
        ("kreo.localhost", "Desa Kreo"),
        ("kandang.localhost", "Desa Kandang"),
        ("nosuch.localhost", "portal"),
        ("localhost", "portal"),
    ],
)
def test_hostnames_route_to_their_site(client, kreo, kandang, host, expected):
    html = client.get("/", HTTP_HOST=host).content.decode()
    if expected == "portal":
        assert "Portal desa dan kelurahan" in html
        assert "<h1>Desa" not in html
    else:
        assert f">{expected}</h1>" in html


def test_english_home_is_served_under_en(client, kreo):
    response = client.get("/en/", HTTP_HOST="kreo.localhost")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_robots_and_sitemap_are_per_site(client, kreo, kandang):
    robots = client.get("/robots.txt", HTTP_HOST="kreo.localhost").content.decode()
    assert "Sitemap: http://kreo.localhost/sitemap.xml" in robots
    xml = client.get("/sitemap.xml", HTTP_HOST="kreo.localhost").content.decode()
    assert "kreo.localhost" in xml and "kandang.localhost" not in xml


def test_renaming_hostname_refreshes_urls_everywhere(kreo):
    """Wagtail caches site root paths: a changed hostname must show at once (shared cache)."""
    home = VillageHomePage.objects.get(village=kreo, locale__language_code="id")
    assert home.get_full_url().startswith("http://kreo.localhost")
    kreo.site.hostname = "kreo.example.id"
    kreo.site.save()
    home = Page.objects.get(pk=home.pk)
    assert home.get_full_url().startswith("http://kreo.example.id")


def test_favicon(client, kreo):
    response = client.get("/favicon.ico", HTTP_HOST="kreo.localhost")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")


# Villages that share a name: Kuta (Belik and Bantarbolang), Sarwodadi (Bantarbolang and Comal).
KUTA_BELIK, KUTA_BANTARBOLANG = "33.27.03.2004", "33.27.06.2014"
SARWODADI_BANTARBOLANG, SARWODADI_COMAL = "33.27.06.2010", "33.27.12.2012"


def create(*args):
    out = StringIO()
    call_command("village", "create", *args, stdout=out)
    return out.getvalue()


def test_command_gives_same_named_villages_distinct_hostnames(db):
    outputs = [
        create("--code", code)
        for code in (KUTA_BANTARBOLANG, KUTA_BELIK, SARWODADI_BANTARBOLANG, SARWODADI_COMAL)
    ]
    hosts = {
        v.code: v.site.hostname
        for v in Village.objects.select_related("site").filter(name__in=["Kuta", "Sarwodadi"])
    }
    assert hosts == {
        KUTA_BELIK: "kuta-belik.localhost",
        KUTA_BANTARBOLANG: "kuta-bantarbolang.localhost",
        SARWODADI_BANTARBOLANG: "sarwodadi-bantarbolang.localhost",
        SARWODADI_COMAL: "sarwodadi-comal.localhost",
    }
    slugs = set(Village.objects.filter(code__in=hosts).values_list("slug", flat=True))
    assert slugs == {"kuta-belik", "kuta-bantarbolang", "sarwodadi-bantarbolang", "sarwodadi-comal"}
    assert "nama host: kuta-belik.localhost" in outputs[1]
    assert "dibuat" in outputs[1]


def test_a_unique_name_keeps_the_plain_hostname(db):
    out = create("--code", "33.27.06.2011")  # Bantarbolang, the only village of that name
    assert Village.objects.get(code="33.27.06.2011").site.hostname == "bantarbolang.localhost"
    assert "nama host: bantarbolang.localhost" in out


def test_an_older_site_on_the_plain_name_does_not_break_provisioning(db, kreo):
    """A Kuta provisioned before names were disambiguated keeps kuta.localhost; the other Kuta
    gets its own hostname instead of an IntegrityError."""
    provision_village(
        VillageSpec(
            code=KUTA_BANTARBOLANG,
            name="Kuta",
            kecamatan_code="33.27.06",
            kecamatan_name="Bantarbolang",
            hostname="kuta.localhost",
        )
    )
    # even kuta-belik.localhost is taken (by some other site): code digits are added
    Site.objects.create(hostname="kuta-belik.localhost", port=80, root_page=kreo.site.root_page)
    out = create("--code", KUTA_BELIK)
    village = Village.objects.get(code=KUTA_BELIK)
    assert village.site.hostname == "kuta-belik-2004.localhost"
    assert "kuta-belik-2004.localhost" in out


def test_explicit_hostname_taken_is_a_clear_error(db, kreo):
    before = counts()
    with pytest.raises(CommandError) as exc:
        create("--code", KUTA_BELIK, "--hostname", "kreo.localhost")
    message = str(exc.value)
    assert "kreo.localhost" in message and "sudah dipakai" in message and "Kreo" in message
    assert counts() == before


def test_command_says_when_a_code_is_not_in_the_official_list(db):
    with pytest.raises(CommandError) as exc:
        create("--code", "33.27.99.2001")
    message = str(exc.value)
    assert "tidak ada di daftar resmi" in message and "salah bentuk" not in message
    assert "--name" in message and "--kecamatan" in message
    # 33.27.99.9999 is well formed but not listed; even with a name and a kecamatan it is
    # refused, for the right reason: a serial is 1xxx (kelurahan) or 2xxx (desa)
    for extra in ([], ["--name", "Uji", "--kecamatan", "Uji"]):
        with pytest.raises(CommandError) as exc:
            create("--code", "33.27.99.9999", *extra)
        message = str(exc.value)
        assert "tidak ada di daftar resmi" in message and "1xxx" in message
        assert "salah bentuk" not in message and "tidak sah" not in message


def test_command_creates_an_unlisted_village_when_told_its_name_and_kecamatan(db):
    out = create("--code", "33.27.99.2001", "--name", "Uji Coba", "--kecamatan", "Uji")
    village = Village.objects.get(code="33.27.99.2001")
    assert village.name == "Uji Coba" and village.kecamatan.name == "Uji"
    assert "tidak ada di daftar resmi" in out and "dibuat" in out


def test_command_says_when_a_code_is_malformed(db):
    for code in ("33.27.99", "33.27.07.20x3", "3327072013"):
        with pytest.raises(CommandError) as exc:
            create("--code", code, "--name", "X", "--kecamatan", "Y")
        assert "salah bentuk" in str(exc.value) and "daftar resmi" not in str(exc.value)
