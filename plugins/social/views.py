"""The page's social panel in the admin: the text per network with its count, the feed image,
the deliveries of the page with links to the remote posts, and "share now / share again" to
chosen accounts. Reached from the page header's "Media sosial" button."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.models import Page

from core.pluginhost.admin import plugin_village_ids
from core.pluginhost.registry import plugin_key_for_module
from core.villages.lookup import village_id_for_page

from . import outbox
from .models import Delivery, SocialAccount
from .text import (
    BLUESKY_GRAPHEME_LIMIT,
    INSTAGRAM_CAPTION_LIMIT,
    MASTODON_DEFAULT_LIMIT,
    TELEGRAM_CAPTION_LIMIT,
    TELEGRAM_MESSAGE_LIMIT,
    build_texts,
    grapheme_length,
    mastodon_length,
    utf16_length,
)

PLUGIN_KEY = plugin_key_for_module(__name__)


def previews(content: dict) -> list[dict]:
    has_image = bool(content["image_url"])
    texts = build_texts(content["title"], content["summary"], content["url"], has_image=has_image)
    tg_limit = TELEGRAM_CAPTION_LIMIT if has_image else TELEGRAM_MESSAGE_LIMIT
    return [
        {
            "network": "Telegram",
            "text": texts["telegram"],
            "count": utf16_length(texts["telegram"]),
            "limit": tg_limit,
        },
        {
            "network": "Mastodon",
            "text": texts["mastodon"],
            "count": mastodon_length(texts["mastodon"]),
            "limit": MASTODON_DEFAULT_LIMIT,
        },
        {
            "network": "Bluesky",
            "text": texts["bluesky"],
            "count": grapheme_length(texts["bluesky"]),
            "limit": BLUESKY_GRAPHEME_LIMIT,
        },
        {
            "network": "Facebook",
            "text": texts["facebook"],
            "count": len(texts["facebook"]),
            "limit": None,
        },
        {
            "network": "Instagram",
            "text": texts["instagram"],
            "count": len(texts["instagram"]),
            "limit": INSTAGRAM_CAPTION_LIMIT,
        },
    ]


class PageSocialView(View):
    model = Page
    template_name = "social/page_social.html"

    def get_page(self, request, pk):
        page = get_object_or_404(Page, pk=pk).specific
        village_id = village_id_for_page(page)
        allowed = plugin_village_ids(request.user, PLUGIN_KEY)
        if village_id is None or (allowed is not None and village_id not in allowed):
            raise Http404
        if not page.permissions_for_user(request.user).can_edit():
            raise Http404
        if page.specific_class._meta.label_lower not in outbox.share_page_types():
            raise Http404
        return page, outbox.village_of_page(page)

    def get(self, request, pk):
        page, village = self.get_page(request, pk)
        content = outbox.page_content(page)
        context = {
            "page": page,
            "content": content,
            "previews": previews(content),
            "deliveries": Delivery.objects.filter(
                share__page=page,
                village=village,
                share__village=village,
                account__village=village,
            )
            .select_related("account", "share")
            .order_by("-created_at"),
            "accounts": SocialAccount.objects.filter(village=village).exclude(
                status=SocialAccount.Status.DISABLED
            ),
            "translation": not outbox.in_default_language(page, village),
        }
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, pk):
        page, village = self.get_page(request, pk)
        chosen = [v for v in request.POST.getlist("accounts") if v.isdigit()]
        accounts = list(
            SocialAccount.objects.filter(village=village, pk__in=chosen).exclude(
                status=SocialAccount.Status.DISABLED
            )
        )
        if not page.live:
            messages.error(request, _("Terbitkan halaman dulu sebelum membagikannya."))
        elif not accounts:
            messages.error(request, _("Pilih sedikitnya satu akun."))
        else:
            outbox.create_share(page, village, reason="manual", accounts=accounts)
            messages.success(request, _("Halaman dijadwalkan untuk dibagikan."))
        return HttpResponseRedirect(reverse("social_page", args=[page.pk]))
