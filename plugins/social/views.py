"""The page's social panel in the admin: the text per network with its count, the feed image,
the deliveries of the page with links to the remote posts, "share now / share again" to chosen
accounts, and editing or deleting the remote posts (with a confirmation step) after the page was
corrected or unpublished. Reached from the page header's "Media sosial" button."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages as admin_messages
from wagtail.models import Page

from core.pluginhost.admin import plugin_village_ids
from core.pluginhost.registry import plugin_key_for_module
from core.pluginhost.switches import is_enabled
from core.villages.lookup import village_id_for_page

from . import outbox, retraction
from .models import Delivery, PostChange, SocialAccount
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
        return TemplateResponse(request, self.template_name, self.context(page, village))

    def context(self, page, village) -> dict:
        content = outbox.page_content(page)
        deliveries = list(
            retraction.page_deliveries(page, village)
            .select_related("account", "share")
            .order_by("-created_at")
        )
        live_ids = set(retraction.live_deliveries(page, village).values_list("pk", flat=True))
        rows = []
        for delivery in deliveries:
            live = delivery.pk in live_ids
            allowed = retraction.capabilities(delivery) if live else {}
            rows.append(
                {
                    "delivery": delivery,
                    "live": live,
                    "deleted": delivery.status == Delivery.Status.SENT and not live,
                    "allowed": allowed,
                    "selectable": live and (allowed["edit"] or allowed["delete"]),
                    "change": retraction.latest_change(delivery),
                    "outdated": live
                    and page.live
                    and retraction.new_text(delivery)
                    != delivery.share.texts.get(delivery.account.network, ""),
                }
            )
        return {
            "page": page,
            "content": content,
            "previews": previews(content),
            "deliveries": deliveries,
            "rows": rows,
            "live_rows": [row for row in rows if row["live"]],
            "any_selectable": any(row["selectable"] for row in rows),
            "any_outdated": any(row["outdated"] for row in rows),
            "accounts": SocialAccount.objects.filter(village=village).exclude(
                status=SocialAccount.Status.DISABLED
            ),
            "translation": not outbox.in_default_language(page, village),
        }

    def post(self, request, pk):
        page, village = self.get_page(request, pk)
        action = request.POST.get("action", "share")
        if action in PostChange.Action.values:
            return self.change_posts(request, page, village, action)
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

    def change_posts(self, request, page, village, action: str):
        """Edit or delete chosen remote posts: first a confirmation page, then the changes are
        queued (``retraction.request_change``)."""
        chosen = [v for v in request.POST.getlist("deliveries") if v.isdigit()]
        live = retraction.live_deliveries(page, village).filter(pk__in=chosen)
        items, skipped = [], []
        for delivery in live:
            allowed = retraction.capabilities(delivery)
            if allowed[action]:
                text = retraction.new_text(delivery) if action == PostChange.Action.EDIT else ""
                items.append({"delivery": delivery, "text": text})
            else:
                skipped.append({"delivery": delivery, "why": allowed["why"]})
        if not items:
            if chosen:
                messages.error(request, _("Kiriman yang dipilih tidak dapat diubah lewat Sidekem."))
            else:
                messages.error(request, _("Pilih sedikitnya satu kiriman."))
            return HttpResponseRedirect(reverse("social_page", args=[page.pk]))
        if request.POST.get("confirm") != "1":
            context = {
                "page": page,
                "action": action,
                "action_label": PostChange.Action(action).label,
                "items": items,
                "skipped": skipped,
            }
            return TemplateResponse(request, "social/page_social_confirm.html", context)
        done = [
            item
            for item in items
            if retraction.request_change(item["delivery"], action, request.user) is not None
        ]
        if done:
            messages.success(
                request,
                _("%(count)s perubahan kiriman dijadwalkan.") % {"count": len(done)},
            )
        if len(done) < len(items):
            messages.warning(
                request,
                _(
                    "Sebagian kiriman tidak diubah: perubahan sebelumnya masih berjalan, "
                    "atau kiriman sudah dihapus."
                ),
            )
        return HttpResponseRedirect(reverse("social_page", args=[page.pk]))


def warn_about_live_posts(request, page) -> None:
    """``after_unpublish_page``: unpublishing deletes nothing on the networks; tell the editor
    which posts are still live, with a link to the page's social panel."""
    specific_class = page.specific_class
    if specific_class is None or specific_class._meta.label_lower not in (
        outbox.share_page_types()
    ):
        return
    if not is_enabled(page, PLUGIN_KEY):
        return
    village = outbox.village_of_page(page)
    if village is None:
        return
    live = list(retraction.live_deliveries(page, village))
    if not live:
        return
    accounts = ", ".join(str(delivery.account) for delivery in live)
    admin_messages.warning(
        request,
        _(
            "Kiriman media sosial halaman ini masih tampil di: %(accounts)s. Kiriman tidak "
            "dihapus otomatis."
        )
        % {"accounts": accounts},
        buttons=[
            admin_messages.button(reverse("social_page", args=[page.pk]), _("Hapus atau perbarui"))
        ],
    )
