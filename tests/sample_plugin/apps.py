from core.pluginhost.registry import PluginConfig


class SamplePluginConfig(PluginConfig):
    """A plugin that exists only for the tests: it uses every extension point of the plugin
    host and is the reference for docs/plugins.md. Its key is written here and nowhere else."""

    default = True  # apps.py also imports PluginConfig: say which class is the app's
    name = "tests.sample_plugin"
    label = "sample_plugin"
    verbose_name = "Plugin contoh (uji)"
    plugin_key = "sample"
    description = "Plugin untuk pengujian titik-titik penegakan sakelar."
    default_enabled = True
    urls = "tests.sample_plugin.urls"
    root_urls = "tests.sample_plugin.root_urls"
    beat_schedule = {
        "sample-ping-every-village": {
            "task": "tests.sample_plugin.tasks.ping_every_village",
            "schedule": 3600.0,
        }
    }
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401  (connects receivers)
