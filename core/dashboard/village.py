"""The village dashboard: what a village's editors, moderators and service officers find on the
admin home page, about their own village only.

Every query is scoped with core.villages.lookup (the villages the user acts for, the tree paths
of their home pages, their collections), as the rest of the admin is (core/confinement). A user
who acts for several villages gets an overview per village and the lists of all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import LockedPagesPanel
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, WorkflowState, get_default_page_content_type
from wagtail.permissions import policy_registry

from core.dashboard.components import DashboardComponent
from core.villages.lookup import pages_of_villages_q, village_ids_for_user
from core.villages.models import Village
from core.website.models import (
    AnnouncementIndexPage,
    AnnouncementPage,
    ContactMessage,
    EventIndexPage,
    EventPage,
    NewsIndexPage,
    NewsPage,
    VillageHomePage,
)

RECENT_EDITS_LIMIT = 10
MODERATION_LIMIT = 10
CONTACT_MESSAGES_LIMIT = 5
MEDIA_PERMISSIONS = {"add", "change", "delete", "choose"}

#: Quick actions that add a page under the village's index page of its kind:
#: (index page type, new page type, label, icon).
PAGE_ACTIONS = (
    (NewsIndexPage, NewsPage, _("Tulis berita"), "doc-full"),
    (AnnouncementIndexPage, AnnouncementPage, _("Buat pengumuman"), "warning"),
    (EventIndexPage, EventPage, _("Tambah agenda"), "date"),
)


@dataclass(frozen=True)
class QuickAction:
    label: str
    url: str
    icon: str


def user_villages(request: HttpRequest) -> list[Village]:
    """The villages the user acts for, the village of the request's host first."""
    ids = village_ids_for_user(request.user) or frozenset()
    current = getattr(request, "village_id", None)
    villages = Village.objects.filter(pk__in=ids).select_related("site", "kecamatan")
    return sorted(villages, key=lambda v: (v.pk != current, v.name, v.pk))


def village_pages(village_ids: list[int]) -> Any:
    """Pages of these villages (both languages); none for an empty list."""
    q = pages_of_villages_q(village_ids)
    return Page.objects.filter(q if q is not None else Q(pk__in=[]))


def village_counts(village: Village) -> dict[str, int]:
    """Pages (both languages), pages with unpublished changes, images and documents of the
    village's collection (the collection the admin's listings scope to)."""
    counts = village_pages([village.pk]).aggregate(
        pages=Count("pk"), drafts=Count("pk", filter=Q(has_unpublished_changes=True))
    )
    for key, model in (("images", get_image_model()), ("documents", get_document_model())):
        objects = model.objects.filter(collection_id=village.collection_id)
        counts[key] = objects.count() if village.collection_id else 0
    return counts


def quick_actions(user: Any, home: Page | None, village: Village) -> list[QuickAction]:
    """New pages under the village's own index pages, and a document upload: only what the user
    may do (Wagtail's page permissions and the page types' rules; the village's collection)."""
    actions = []
    if home is not None:
        types = ContentType.objects.get_for_models(*(index for index, *_rest in PAGE_ACTIONS))
        indexes: dict[int, Page] = {}
        children = home.get_children().filter(content_type__in=list(types.values()))
        for page in children.order_by("path"):
            indexes.setdefault(page.content_type_id, page)
        for index_model, page_model, label, icon in PAGE_ACTIONS:
            index = indexes.get(types[index_model].pk)
            if index is None or not page_model.can_create_at(index):
                continue
            if not index.permissions_for_user(user).can_add_subpage():
                continue
            meta = page_model._meta
            url = reverse(
                "wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, index.pk]
            )
            actions.append(QuickAction(str(label), url, icon))
    policy = policy_registry.get_by_type(get_document_model())
    if village.collection_id and (
        policy.collections_user_has_permission_for(user, "add")
        .filter(pk=village.collection_id)
        .exists()
    ):
        url = reverse("wagtaildocs:add_multiple")
        actions.append(QuickAction(str(_("Unggah dokumen")), url, "upload"))
    return actions


def _listing_url(model: type, user: Any, url_name: str, collection_id: int | None) -> str:
    """The admin listing of ``model`` filtered to the village's collection, if the user has any
    permission on images/documents ("" otherwise)."""
    policy = policy_registry.get_by_type(model)
    if not collection_id or not policy.user_has_any_permission(user, MEDIA_PERMISSIONS):
        return ""
    return f"{reverse(url_name)}?collection_id={collection_id}"


class VillageOverviewPanel(DashboardComponent):
    """The village's name, its site in both languages, its counts and the quick actions."""

    name = "village_overview"
    order = 10
    template_name = "dashboard/village_overview.html"

    def __init__(self, request: HttpRequest, village: Village) -> None:
        self.request = request
        self.village = village

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        user = self.request.user
        village = self.village
        homes = list(VillageHomePage.objects.filter(village=village).select_related("locale"))
        # The site's root (Indonesian) first, then its translations.
        homes.sort(key=lambda h: (h.pk != village.site.root_page_id, h.locale.language_code))
        home = homes[0] if homes else None
        sites = [
            {
                "code": h.locale.language_code,
                "language": h.locale.get_display_name(),
                "url": h.get_full_url(self.request),
            }
            for h in homes
        ]
        explore_url = ""
        if home is not None and user_has_any_page_permission(user):
            explore_url = reverse("wagtailadmin_explore", args=[home.pk])
        return {
            "request": self.request,
            "village": village,
            "panel_id": f"village-{village.pk}",
            "heading": str(village),
            "sites": sites,
            "counts": village_counts(village),
            "explore_url": explore_url,
            "images_url": _listing_url(
                get_image_model(), user, "wagtailimages:index", village.collection_id
            ),
            "documents_url": _listing_url(
                get_document_model(), user, "wagtaildocs:index", village.collection_id
            ),
            "actions": quick_actions(user, home, village),
        }


class VillageContactMessagesPanel(DashboardComponent):
    """Residents' messages nobody has handled yet (suspected spam counted apart), with the
    newest few, for users who may read them."""

    name = "village_contact_messages"
    order = 20
    template_name = "dashboard/village_contact_messages.html"

    def __init__(self, request: HttpRequest, village_ids: list[int]) -> None:
        self.request = request
        self.village_ids = village_ids

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        waiting = ContactMessage.objects.filter(village__in=self.village_ids, handled=False)
        counts = waiting.aggregate(
            unhandled=Count("pk", filter=Q(suspected_spam=False)),
            spam=Count("pk", filter=Q(suspected_spam=True)),
        )
        latest = waiting.filter(suspected_spam=False).select_related("village")
        index = reverse("contact_messages:index")
        return {
            "counts": counts,
            "messages": [
                {"message": m, "url": reverse("contact_messages:inspect", args=[m.pk])}
                for m in latest.order_by("-created_at", "-pk")[:CONTACT_MESSAGES_LIMIT]
            ],
            "several_villages": len(self.village_ids) > 1,
            "unhandled_url": f"{index}?handled=false&suspected_spam=false",
            "spam_url": f"{index}?handled=false&suspected_spam=true",
        }

    def render_html(self, parent_context: Any = None) -> Any:
        if not self.request.user.has_perm("website.view_contactmessage"):
            return ""
        return super().render_html(parent_context)


class VillageModerationPanel(DashboardComponent):
    """The village's pages waiting in a Wagtail workflow (in progress), newest first."""

    name = "village_moderation"
    order = 210
    template_name = "dashboard/village_moderation.html"

    def __init__(self, request: HttpRequest, village_ids: list[int]) -> None:
        self.request = request
        self.village_ids = village_ids

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        # A workflow state names its object by a text id; compare it with the pages' ids as text
        # (a cast of every state's id to a number would fail on snippets with other keys).
        page_ids = village_pages(self.village_ids).annotate(
            text_id=Cast("pk", output_field=CharField())
        )
        states = WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=get_default_page_content_type(),
            object_id__in=page_ids.values("text_id"),
        )
        shown = list(
            states.select_related("requested_by", "current_task_state__task").order_by(
                "-created_at", "-pk"
            )[:MODERATION_LIMIT]
        )
        pages = Page.objects.in_bulk([int(state.object_id) for state in shown])
        rows = [
            {"state": state, "page": pages[int(state.object_id)]}
            for state in shown
            if int(state.object_id) in pages
        ]
        return {
            "rows": rows,
            "total": states.count() if len(shown) == MODERATION_LIMIT else len(shown),
            "may_edit": user_has_any_page_permission(self.request.user),
        }


class VillageRecentEditsPanel(DashboardComponent):
    """What the village's team last did to its pages (the pages' log), newest first."""

    name = "village_recent_edits"
    order = 250
    template_name = "dashboard/village_recent_edits.html"

    def __init__(self, request: HttpRequest, village_ids: list[int]) -> None:
        self.request = request
        self.village_ids = village_ids

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        q = pages_of_villages_q(self.village_ids, prefix="page__")
        entries = (
            PageLogEntry.objects.filter(q if q is not None else Q(pk__in=[]))
            .select_related("user", "page")
            .order_by("-timestamp", "-pk")[:RECENT_EDITS_LIMIT]
        )
        return {
            "entries": list(entries),
            "may_edit": user_has_any_page_permission(self.request.user),
        }


class VillageLockedPagesPanel(LockedPagesPanel):
    """Wagtail's "pages locked by you", cut down to the user's villages."""

    def __init__(self, village_ids: list[int]) -> None:
        self.village_ids = village_ids

    def get_context_data(self, parent_context: Any) -> Any:
        context = super().get_context_data(parent_context)
        q = pages_of_villages_q(self.village_ids)
        context["locked_pages"] = context["locked_pages"].filter(
            q if q is not None else Q(pk__in=[])
        )
        return context


def village_panels(request: HttpRequest) -> list[Component]:
    """The village dashboard's panels for a user who is not a district administrator."""
    villages = user_villages(request)
    if not villages:
        return []
    ids = [village.pk for village in villages]
    return [
        *(VillageOverviewPanel(request, village) for village in villages),
        VillageContactMessagesPanel(request, ids),
        VillageModerationPanel(request, ids),
        VillageRecentEditsPanel(request, ids),
        VillageLockedPagesPanel(ids),
    ]
