from django.http import JsonResponse
from django.template.response import TemplateResponse

from core.pluginhost.admin import plugin_village_ids
from core.pluginhost.registry import plugin_key_for_module
from core.pluginhost.switches import villages_with_plugin

from .models import SampleNote


def ping(request):
    """A public URL of the plugin (mounted under /sample/ and guarded by the switch)."""
    return JsonResponse({"village": request.village.code})


def everywhere(request):
    """A site-root URL (``root_urls``): on a village host while the plugin is on there, and on
    the district portal, where it serves the villages with the plugin on."""
    if request.village_id:
        return JsonResponse({"villages": [request.village.code]})
    ids = villages_with_plugin(plugin_key_for_module(__name__))
    return JsonResponse({"villages": sorted(ids)})


def district(request):
    """A district page of the plugin: the portal only (``portal_only`` in root_urls.py)."""
    return JsonResponse({"district": True})


def report(request):
    """An admin report of the plugin: notes of the user's villages where the plugin is on."""
    ids = plugin_village_ids(request.user, plugin_key_for_module(__name__))
    notes = SampleNote.objects.all() if ids is None else SampleNote.objects.filter(village__in=ids)
    return TemplateResponse(request, "sample_plugin/report.html", {"notes": notes})
