"""``manage.py qris decode`` / ``qris amount``: JSON out, non-zero exit and named problems."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from plugins.umkm import qris

from .qris_samples import BRI_DYNAMIC_WITH_FEE, DANA_STATIC, GOPAY_BAD_CRC, SHOPEE_INCOMPLETE

ROOT = Path(__file__).resolve().parents[3]


def run(*args):
    out = StringIO()
    call_command("qris", *args, stdout=out)
    return out.getvalue()


def test_decode_prints_fields_as_json():
    data = json.loads(run("decode", DANA_STATIC))
    assert data["merchant_name"] == "SeTORE"
    assert data["nmid"] == "ID1025437041078"
    assert data["static"] is True
    assert [f["tag"] for f in data["fields"]][:3] == ["00", "01", "26"]
    assert data["fields"][2]["sub"][0] == {
        "tag": "00",
        "length": 11,
        "value": "ID.DANA.WWW",
        "name": "globally_unique_identifier",
    }
    assert data["warnings"] == []


def test_decode_lists_warnings_of_a_usable_code():
    data = json.loads(run("decode", BRI_DYNAMIC_WITH_FEE))
    assert data["amount"] == "5000"
    assert len(data["warnings"]) == 2


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (DANA_STATIC[:-4] + "0000", ["CRC tidak cocok", "0000", "BB06"]),
        (GOPAY_BAD_CRC, ["CRC (tag 63)", "M2B3"]),
        (SHOPEE_INCOMPLETE, ["Tag wajib 52", "Tag wajib 61"]),
        ("hello", ["Struktur kode rusak"]),
    ],
)
def test_decode_of_an_invalid_payload_names_the_problem(payload, words):
    with pytest.raises(CommandError) as caught:
        run("decode", payload)
    for word in words:
        assert word in str(caught.value)


def test_amount_prints_the_amount_bearing_payload():
    out = run("amount", DANA_STATIC, "15.000").strip()
    assert out == qris.with_amount(DANA_STATIC, 15000)
    assert qris.parse(out).amount == 15000
    assert run("amount", DANA_STATIC, "Rp 2500").strip() == qris.with_amount(DANA_STATIC, 2500)


def test_amount_above_cap_and_bad_amount_fail():
    with pytest.raises(CommandError) as caught:
        run("amount", DANA_STATIC, "10000001")
    assert "10.000.001" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run("amount", DANA_STATIC, "12,5")
    assert "12,5" in str(caught.value)
    with pytest.raises(CommandError):
        run("amount", GOPAY_BAD_CRC, "1000")


def test_exit_status_of_the_real_command():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sidekem_site.settings.test"}
    manage = [sys.executable, str(ROOT / "site" / "manage.py"), "qris"]
    good = subprocess.run([*manage, "decode", DANA_STATIC], capture_output=True, text=True, env=env)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["merchant_name"] == "SeTORE"
    bad = subprocess.run(
        [*manage, "decode", DANA_STATIC[:-1] + "7"], capture_output=True, text=True, env=env
    )
    assert bad.returncode != 0
    assert "CRC tidak cocok" in bad.stderr
    capped = subprocess.run(
        [*manage, "amount", DANA_STATIC, "20000000"], capture_output=True, text=True, env=env
    )
    assert capped.returncode != 0
    assert "10.000.000" in capped.stderr
