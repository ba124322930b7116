"""Find installed Sidekem plugins without importing Django.

Plugins are Django apps advertised in the ``sidekem.plugins`` entry-point group. Settings call
:func:`discover_plugins` once; a deny-list removes a plugin at deploy time. This lives in the
project package (not in ``core``) because settings must not import Django apps.
"""

from __future__ import annotations

from importlib.metadata import entry_points

ENTRY_POINT_GROUP = "sidekem.plugins"


def discover_plugins(deny: list[str] | tuple[str, ...] = ()) -> list[str]:
    """App modules of every advertised plugin, sorted, minus those named in ``deny``.

    ``deny`` may name either the entry-point name (``umkm``) or the module (``plugins.umkm``).
    """
    denied = {d.strip() for d in deny if d.strip()}
    found = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in denied or ep.value in denied:
            continue
        found.append(ep.value)
    return sorted(set(found))
