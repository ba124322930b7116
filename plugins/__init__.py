"""Sidekem plugins: one Django app each (transparency, admin_services, umkm, social).

Each plugin's AppConfig subclasses ``core.pluginhost.registry.PluginConfig`` and is advertised
in the ``sidekem.plugins`` entry-point group of pyproject.toml. Plugins never import each other.
How to write one: docs/plugins.md.
"""
