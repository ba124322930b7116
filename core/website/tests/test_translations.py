"""English catalogues keep the placeholders of their Indonesian source strings (a wrong
placeholder crashes or misleads only in English, where nobody in the village looks)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\(\w+\)s")
CATALOGUES = sorted(ROOT.glob("core/*/locale/en/LC_MESSAGES/django.po")) + sorted(
    ROOT.glob("site/sidekem_site/locale/en/LC_MESSAGES/django.po")
)


def test_every_core_app_with_strings_has_a_catalogue():
    apps = {path.parts[len(ROOT.parts) + 1] for path in CATALOGUES if path.parts[-6] == "core"}
    assert {"villages", "pluginhost", "imports", "provisioning", "website", "villagedata"} <= apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_english_catalogue_keeps_placeholders(path):
    po = polib.pofile(str(path))
    assert po.percent_translated() == 100
    for entry in po:
        targets = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for target in targets:
            assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
                PLACEHOLDER.findall(target)
            ), entry.msgid


def test_a_shared_string_has_one_english_translation():
    """Django merges every app's catalogue: a string two apps translate differently shows one
    app's English on the other's screens. Give such a string a context instead."""
    seen: dict[tuple[str, str], tuple[str, Path]] = {}
    clashes = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.msgid_plural:
                continue
            key = (entry.msgctxt or "", entry.msgid)
            if key in seen and seen[key][0] != entry.msgstr:
                clashes.append(f"{entry.msgid!r}: {seen[key]} vs {entry.msgstr!r} in {path}")
            seen.setdefault(key, (entry.msgstr, path))
    assert not clashes, "\n".join(clashes)
