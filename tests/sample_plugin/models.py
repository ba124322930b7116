from django.db import models
from django.http import HttpResponse
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import register_setting
from wagtail.models import Page

from core.pluginhost.enforcement import PluginPageMixin
from core.pluginhost.settings import PluginSiteSetting


class SampleNote(models.Model):
    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    title = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.title


class SamplePing(models.Model):
    """Written by the sample receiver and tasks so tests can see whether they ran."""

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    source = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)


class SamplePage(PluginPageMixin, RoutablePageMixin, Page):
    parent_page_types = ["website.VillageHomePage"]
    template = "sample_plugin/sample_page.html"

    @path("detail/")
    def detail(self, request):
        return HttpResponse(f"detail of {self.title}")


@register_setting(icon="cogs")
class SampleSettings(PluginSiteSetting):
    """Per-village settings of the plugin (e.g. a letterhead's signer)."""

    signer = models.CharField("penanda tangan", max_length=100, blank=True)
