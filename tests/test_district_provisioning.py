"""``manage.py provision_district`` (core/provisioning/management/commands/provision_district.py).

The whole district (223 villages) takes minutes: bench/bench_provision.py measures it. The suite
provisions a subset that holds both pairs of same-named villages (Kuta, Sarwodadi) and, through
the admin import, the whole official list (tests/test_village_import.py).
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site

from core.villages import wilayah
from core.villages.models import Kecamatan, Village

pytestmark = pytest.mark.django_db

PAIRS = {
    "33.27.03.2004": "kuta-belik",
    "33.27.06.2014": "kuta-bantarbolang",
    "33.27.06.2010": "sarwodadi-bantarbolang",
    "33.27.12.2012": "sarwodadi-comal",
}
KREO = "33.27.07.2013"  # provisioned by tests/conftest.py


def run(*args):
    out = StringIO()
    call_command("provision_district", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def codes_args(codes):
    return [arg for code in codes for arg in ("--code", code)]


def state():
    return (Site.objects.count(), Page.objects.count(), Village.objects.count())


def test_same_named_villages_get_distinct_hostnames_and_a_rerun_changes_nothing(db):
    out = run(*codes_args([*PAIRS, KREO]))
    hosts = dict(Village.objects.filter(code__in=PAIRS).values_list("code", "site__hostname"))
    assert hosts == {code: f"{label}.localhost" for code, label in PAIRS.items()}
    for code, label in PAIRS.items():
        assert re.search(
            rf"^{re.escape(code)}  Desa \w+ \(\w+\): dibuat  {label}\.localhost", out, re.M
        )
    assert re.search(
        rf"^{re.escape(KREO)}  Desa Kreo \(Randudongkal\): sudah ada  kreo\.localhost$", out, re.M
    )
    assert re.search(
        r"^Selesai dalam \d+\.\d detik: 5 desa/kelurahan, 4 dibuat, 1 sudah ada, 0 dilengkapi, "
        r"0 gagal\.$",
        out,
        re.M,
    )
    before = state()
    out = run(*codes_args([*PAIRS, KREO]))
    assert "5 desa/kelurahan, 0 dibuat, 5 sudah ada, 0 dilengkapi, 0 gagal." in out
    assert "dibuat  " not in out
    assert state() == before


def test_a_kecamatan_with_domain_and_port(db):
    out = run("--kecamatan", "33.27.03", "--domain", "pemalangkab.go.id", "--port", "8443")
    listed = [area for area in wilayah.villages() if area.kecamatan_code == "33.27.03"]
    belik = Village.objects.filter(kecamatan__code="33.27.03").select_related("site")
    assert belik.count() == len(listed) == 13 and "13 dibuat" in out
    assert Kecamatan.objects.get(code="33.27.03").name == "Belik"
    for village in belik:
        assert village.site.hostname.endswith(".pemalangkab.go.id")
        assert village.site.port == 8443
    assert belik.get(code="33.27.03.2004").site.hostname == "kuta-belik.pemalangkab.go.id"
    portal = Site.objects.get(is_default_site=True)
    assert (portal.hostname, portal.port) == ("localhost", 80), "the portal's address is kept"


def test_a_village_that_cannot_be_created_fails_loudly_and_the_rest_is_kept(db, kreo):
    # every hostname the command would try for Kuta of Belik belongs to another site already
    for label in ("kuta-belik", "kuta-belik-2004", "kuta-belik-3327032004"):
        Site.objects.create(hostname=f"{label}.localhost", port=80, root_page=kreo.site.root_page)
    codes = ["33.27.03.2003", "33.27.03.2004", "33.27.03.2005"]
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("provision_district", *codes_args(codes), stdout=StringIO(), stderr=err)
    assert "33.27.03.2004" in str(exc.value) and "1 desa/kelurahan gagal" in str(exc.value)
    assert "kuta-belik.localhost" in err.getvalue()
    assert set(Village.objects.filter(code__in=codes).values_list("code", flat=True)) == {
        "33.27.03.2003",
        "33.27.03.2005",
    }


def test_unknown_and_malformed_codes(db):
    with pytest.raises(CommandError, match="tidak ada di daftar resmi"):
        run("--code", "33.27.99.2001")
    with pytest.raises(CommandError, match="salah bentuk"):
        run("--code", "33.27.99")
    with pytest.raises(CommandError, match="tidak ada di daftar resmi"):
        run("--kecamatan", "33.27.99")
