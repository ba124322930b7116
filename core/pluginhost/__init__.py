"""The plugin host: plugin registry and per-village switches, and the helpers that enforce a
switch everywhere (pages, public URLs, admin, receivers, tasks, panels, settings).

Plugin authors read docs/plugins.md; the public API is in ``registry`` (PluginConfig),
``enforcement``, ``panels``, ``settings`` and ``admin``."""
