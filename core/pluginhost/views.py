"""District-administrator views: the villages × plugins grid of switches and their history."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.pluginhost.models import PluginSwitch, PluginSwitchChange
from core.pluginhost.registry import get_plugin, installed_plugins, plugin_defaults
from core.pluginhost.switches import set_plugin_enabled
from core.villages.district import district_admin_required
from core.villages.models import Kecamatan, Village
from core.villages.params import int_param


def _filtered_villages(request: HttpRequest) -> tuple[QuerySet[Village], str, str]:
    villages = Village.objects.select_related("kecamatan").order_by("kecamatan__code", "code")
    kecamatan = request.GET.get("kecamatan") or request.POST.get("kecamatan") or ""
    if kecamatan:
        villages = villages.filter(kecamatan__code=kecamatan)
    query = (request.GET.get("q") or "").strip()
    if query:
        villages = villages.filter(name__icontains=query)
    return villages, kecamatan, query


@district_admin_required
@require_http_methods(["GET", "POST"])
def plugin_grid(request: HttpRequest) -> HttpResponse:
    """Villages × plugins; save the shown rows, or switch a plugin for a whole kecamatan."""
    installed = installed_plugins()
    keys = [cfg.get_key() for cfg in installed]
    villages, kecamatan, query = _filtered_villages(request)

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "bulk":
            key = request.POST.get("plugin")
            enabled = request.POST.get("enabled") == "1"
            kec = request.POST.get("bulk_kecamatan", "")
            if key not in keys:
                messages.error(request, _("Pilih plugin yang akan diubah."))
            else:
                targets = Village.objects.all()
                if kec:
                    targets = targets.filter(kecamatan__code=kec)
                count = set_plugin_enabled(
                    targets, key, enabled, request.user, PluginSwitchChange.Source.BULK
                )
                messages.success(
                    request,
                    _("%(count)s desa diubah: %(plugin)s %(state)s.")
                    % {
                        "count": count,
                        "plugin": get_plugin(key).verbose_name,
                        "state": _("aktif") if enabled else _("nonaktif"),
                    },
                )
        else:
            shown_ids = [int_param(v) for v in request.POST.getlist("village")]
            count = 0
            for village in Village.objects.filter(pk__in=shown_ids):
                for key in keys:
                    wanted = request.POST.get(f"switch-{village.pk}-{key}") == "on"
                    count += set_plugin_enabled(
                        [village], key, wanted, request.user, PluginSwitchChange.Source.GRID
                    )
            messages.success(request, _("%(count)s sakelar diubah.") % {"count": count})
        url = reverse("sidekem_plugin_grid")
        params = request.GET.urlencode()
        return redirect(f"{url}?{params}" if params else url)

    paginator = Paginator(villages, 50)
    page = paginator.get_page(request.GET.get("p"))
    switches = {
        (s.village_id, s.plugin_key): s.enabled
        for s in PluginSwitch.objects.filter(village__in=[v.pk for v in page.object_list])
    }
    defaults = plugin_defaults()
    rows = [
        {
            "village": v,
            "cells": [
                {"key": k, "enabled": switches.get((v.pk, k), defaults.get(k, False))} for k in keys
            ],
        }
        for v in page.object_list
    ]
    return TemplateResponse(
        request,
        "pluginhost/plugin_grid.html",
        {
            "plugins": installed,
            "rows": rows,
            "page_obj": page,
            "kecamatan_list": Kecamatan.objects.all(),
            "kecamatan": kecamatan,
            "q": query,
        },
    )


@district_admin_required
def plugin_history(request: HttpRequest) -> HttpResponse:
    changes = PluginSwitchChange.objects.select_related("village", "changed_by")
    village = int_param(request.GET.get("village"))
    if village is not None:
        changes = changes.filter(village_id=village)
    key = request.GET.get("plugin")
    if key:
        changes = changes.filter(plugin_key=key)
    page = Paginator(changes, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "pluginhost/plugin_history.html",
        {"page_obj": page, "plugins": installed_plugins(), "plugin": key or ""},
    )
