"""Private ("login") pages and documents of a village are for that village, not every account.

Wagtail's "logged-in users" privacy lets in any account; here every account belongs to a village
(or to the district), so a village's login-only page, and a document in a village's login-only
collection, are served only to users of that village (its editors, moderators and officers) and
to district administrators. Anonymous visitors are sent to the login page as Wagtail does; users of
another village get a 404. The district portal's own login-only pages stay open to any logged-in
user. Wagtail's serve views call the hooks below before their own privacy check.

The privacy dialogs of pages and collections name the option for what it now means
(:func:`relabel_login_choice`, run from ``ConfinementConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.collections import CollectionViewRestrictionForm
from wagtail.admin.forms.pages import PageViewRestrictionForm
from wagtail.admin.forms.view_restrictions import BaseViewRestrictionForm
from wagtail.models import BaseViewRestriction, Page

from core.confinement.references import collection_village_id
from core.villages.lookup import village_id_for_page, village_ids_for_user

LOGIN_LABEL = _("Pribadi: hanya pengguna desa ini dan admin kabupaten")
RESTRICTION_FORMS = (
    BaseViewRestrictionForm,
    PageViewRestrictionForm,
    CollectionViewRestrictionForm,
)


def user_may_view(user: Any, village_id: int) -> bool:
    ids = village_ids_for_user(user)
    return ids is None or village_id in ids


def login_redirect(request: HttpRequest) -> HttpResponse:
    """What Wagtail answers an anonymous visitor of a login-only page: its login form."""
    login_url = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None)
    login_url = login_url or reverse("wagtailcore_login")
    response = redirect_to_login(request.get_full_path(), login_url)
    add_never_cache_headers(response)
    return response


def refusal(request: HttpRequest, village_id: int | None, restrictions: Iterable) -> Any:
    """``None`` to let Wagtail go on; a login redirect; or 404 for another village's user."""
    if village_id is None:
        return None  # the district portal's pages and collections: Wagtail's rules
    if not any(r.restriction_type == BaseViewRestriction.LOGIN for r in restrictions):
        return None
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return login_redirect(request)
    if user_may_view(user, village_id):
        return None
    raise Http404


@hooks.register("before_serve_page")
def confine_login_only_pages(
    page: Page, request: HttpRequest, serve_args: Any, serve_kwargs: Any
) -> Any:
    village_id = village_id_for_page(page)
    if village_id is None:
        return None
    return refusal(request, village_id, page.get_view_restrictions())


@hooks.register("before_serve_document")
def confine_login_only_documents(document: Any, request: HttpRequest) -> Any:
    village_id = collection_village_id(document.collection_id)
    if village_id is None:
        return None
    return refusal(request, village_id, document.collection.get_view_restrictions())


def _relabelled(choices: Iterable) -> list[tuple[Any, Any]]:
    return [
        (value, LOGIN_LABEL if value == BaseViewRestriction.LOGIN else label)
        for value, label in choices
    ]


def relabel_login_choice() -> None:
    """Name the "login" option of the page and collection privacy dialogs for what it means here.

    Wagtail builds both dialogs from the ``restriction_type`` field of its view restriction forms
    (or, without shared passwords, from the restriction model's ``RESTRICTION_CHOICES``) and
    offers no setting for the labels, so those are relabelled once at start-up. Wagtail is
    pinned to 8.0.x; tests/test_village_privacy.py renders both dialogs and fails if the label
    is missing.
    """
    for form_class in RESTRICTION_FORMS:
        field = form_class.base_fields["restriction_type"]
        field.choices = _relabelled(field.choices)
    BaseViewRestriction.RESTRICTION_CHOICES = tuple(
        _relabelled(BaseViewRestriction.RESTRICTION_CHOICES)
    )
