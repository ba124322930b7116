"""English catalogues of the content apps: complete, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


@pytest.mark.parametrize(
    "app",
    [
        "villages",
        "pluginhost",
        "confinement",
        "imports",
        "provisioning",
        "website",
        "villagedata",
        "demo",
    ],
)
def test_english_catalogue_complete(app):
    po = polib.pofile(str(ROOT / app / "locale/en/LC_MESSAGES/django.po"))
    assert po.percent_translated() == 100
    for entry in po:
        targets = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for target in targets:
            assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
                PLACEHOLDER.findall(target)
            ), entry.msgid
