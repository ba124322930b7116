"""Village-scoped stand-ins for Wagtail admin views that look across every village.

:class:`core.confinement.middleware.AdminVillageScopeMiddleware` serves these instead of the
originals (``REPLACED_VIEWS`` there) to village users; district administrators keep Wagtail's.
Each is wrapped in the same admin-access check and cache headers as the original URL.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from taggit.models import ItemBase, Tag, TagBase
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT
from wagtail.models import get_translatable_models
from wagtail_localize.views.report import TranslationsReportView

from core.confinement.scope import is_village_scoped, village_objects_q
from core.villages.lookup import village_ids_for_user


def _related_model(model: type[Model], field_name: str) -> Any:
    return model._meta.get_field(field_name).related_model


def _through_models(tag_model: type[Model]) -> list[type[Model]]:
    """taggit's through models (tagged items) whose ``tag`` is a ``tag_model``."""
    concrete = tag_model._meta.concrete_model
    return [
        model
        for model in apps.get_models()
        if issubclass(model, ItemBase)
        and _related_model(model, "tag")._meta.concrete_model is concrete
    ]


def tags_used_in_villages(tag_model: type[Model], user: Any) -> QuerySet:
    """Tags of ``tag_model`` attached to objects of the user's villages (every tag for district
    administrators). Tags only on other villages' objects, drafts included, are left out."""
    tags = tag_model._default_manager.all()
    if village_ids_for_user(user) is None:
        return tags
    used = Q(pk__in=[])
    for through in _through_models(tag_model):
        content = through._meta.get_field("content_object")
        if isinstance(content, GenericForeignKey):
            type_ids = through._default_manager.values_list("content_type", flat=True).distinct()
            for content_type in ContentType.objects.filter(pk__in=list(type_ids)):
                model = content_type.model_class()
                if model is None or not is_village_scoped(model):
                    continue
                objects = model._default_manager.filter(village_objects_q(model, user))
                rows = through._default_manager.filter(
                    content_type=content_type, object_id__in=objects.values("pk")
                )
                used |= Q(pk__in=rows.values("tag_id"))
        elif is_village_scoped(tagged := _related_model(through, "content_object")):
            q = village_objects_q(tagged, user, prefix="content_object__")
            used |= Q(pk__in=through._default_manager.filter(q).values("tag_id"))
    return tags.filter(used)


def _tag_autocomplete(
    request: HttpRequest, app_name: str | None = None, model_name: str | None = None
) -> JsonResponse:
    """Wagtail's ``tag-autocomplete`` (wagtail/admin/views/tags.py), suggesting only tags used
    in the user's villages."""
    tag_model: type[Model] = Tag
    if app_name and model_name:
        try:
            content_type = ContentType.objects.get_by_natural_key(app_name, model_name)
        except ContentType.DoesNotExist as e:
            raise Http404 from e
        model = content_type.model_class()
        if model is None or not issubclass(model, TagBase):
            raise Http404
        tag_model = model
    term = request.GET.get("term", None)
    names: list[str] = []
    if term:
        names = list(
            tags_used_in_villages(tag_model, request.user)
            .filter(name__istartswith=term)
            .order_by("name")
            .values_list("name", flat=True)[:TAGS_AUTOCOMPLETE_LIMIT]
        )
    return JsonResponse(names, safe=False)


tag_autocomplete = require_admin_access(never_cache(_tag_autocomplete))


def translated_objects_q(user: Any) -> Q | None:
    """Translations (wagtail-localize) whose source object is in the user's villages; ``None``
    for district administrators."""
    if village_ids_for_user(user) is None:
        return None
    q = Q(pk__in=[])
    for model in get_translatable_models():
        if is_village_scoped(model):
            objects = model._default_manager.filter(village_objects_q(model, user))
            q |= Q(source__object_id__in=objects.values("translation_key"))
    return q


class VillageTranslationsReportView(TranslationsReportView):
    """wagtail-localize's translations report, listing the user's villages' translations."""

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        q = translated_objects_q(self.request.user)
        return queryset if q is None else queryset.filter(q)


translations_report = require_admin_access(never_cache(VillageTranslationsReportView.as_view()))
translations_report_results = require_admin_access(
    never_cache(VillageTranslationsReportView.as_view(results_only=True))
)
