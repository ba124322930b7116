from core.pluginhost.registry import plugin_task

from .models import SamplePing


@plugin_task("sample")
def record_ping(village_id: int, source: str = "task") -> int:
    return SamplePing.objects.create(village_id=village_id, source=source).pk
