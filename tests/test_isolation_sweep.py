"""The automatic sweep: an editor of Kreo can reach nothing of Kandang.

Every admin and API URL the project registers is taken from the URL resolver (which includes
every registered viewset); each parameter is filled with an object of Kandang, and the Kreo
editor's GET and POST must be refused (403/404, or Wagtail's redirect to the dashboard with a
permission message) and must change nothing. Parameterless admin pages (listings, reports,
choosers) must not show any of Kandang's objects. New models and viewsets are covered without
anyone adding them here: a URL whose parameters the sweep cannot fill makes it fail, naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Revision,
    Site,
    Task,
    Workflow,
)

from core.pluginhost.models import PluginSwitch, PluginSwitchChange
from core.villages.models import Kecamatan, Village
from core.website.models import DistrictHomePage, VillageHomePage, VillageSiteSettings
from tests.sample_plugin.models import SampleNote, SamplePage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_plugin_on")]

MARKER = "RAHASIA-KANDANG"
PARAM_RE = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>")

# URLs that are not about objects at all, or that are public by design.
SKIP_ROUTES = (
    "admin/password_reset/",  # unauthenticated token flow
    "admin/logout/",
    "_util/authenticate_with_password/",  # public password form of a restricted page
    "documents/authenticate_with_password/",
    "i18n/",
    "admin/failwhale/",  # Wagtail's deliberate error page
)


def png_bytes() -> bytes:
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@dataclass
class KandangWorld:
    village: Village
    home: VillageHomePage
    en_home: VillageHomePage
    page: SamplePage
    image: object
    document: object
    note: SampleNote
    redirect: Redirect
    page_restriction: PageViewRestriction
    collection_restriction: CollectionViewRestriction


@pytest.fixture
def world(kandang):
    home = VillageHomePage.objects.get(village=kandang, locale__language_code="id")
    en_home = VillageHomePage.objects.get(village=kandang, locale__language_code="en")
    editor = get_user_model().objects.get(username="editor.kandang")
    editor.last_name = MARKER  # personal data of Kandang's editor must not show either
    editor.save()
    page = SamplePage(title=f"{MARKER} halaman", slug="rahasia", owner=editor)
    home.add_child(instance=page)
    page.save_revision(user=editor, log_action=True).publish(user=editor)
    page.save_revision(user=editor, log_action=True)  # a draft revision too
    Image = get_image_model()
    image = Image.objects.create(
        title=f"{MARKER} foto",
        collection=kandang.collection,
        file=ContentFile(png_bytes(), name="rahasia.png"),
    )
    Document = get_document_model()
    document = Document.objects.create(
        title=f"{MARKER} dokumen",
        collection=kandang.collection,
        file=ContentFile(b"%PDF-1.4 rahasia", name="rahasia.pdf"),
    )
    note = SampleNote.objects.create(village=kandang, title=f"{MARKER} catatan")
    redirect = Redirect.objects.create(
        old_path="/lama-kandang", site=kandang.site, redirect_page=page
    )
    VillageSiteSettings.for_site(kandang.site)
    page_restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="x"
    )
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=kandang.collection, restriction_type="password", password="x"
    )
    return KandangWorld(
        kandang,
        home,
        en_home,
        page,
        image,
        document,
        note,
        redirect,
        page_restriction,
        collection_restriction,
    )


def autofill(model, village):
    """A Kandang instance of any village model, its required fields filled by type.

    This is what makes the sweep cover models nobody wrote a fixture for.
    """
    import datetime
    import decimal

    from django.utils import timezone

    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name == "village":
            continue
        if (
            field.has_default()
            or field.null
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        if field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, models.ForeignKey):
            values[field.name] = field.related_model._default_manager.first()
        elif isinstance(field, models.DateTimeField):
            values[field.name] = timezone.now()
        elif isinstance(field, models.DateField):
            values[field.name] = datetime.date.today()
        elif isinstance(field, models.DecimalField):
            values[field.name] = decimal.Decimal(1)
        elif isinstance(field, (models.IntegerField, models.FloatField)):
            validators = [v for v in field.validators if hasattr(v, "limit_value")]
            values[field.name] = max(
                [1, *[v.limit_value for v in validators if type(v).__name__ == "MinValueValidator"]]
            )
        elif isinstance(field, models.EmailField):
            values[field.name] = "rahasia@kandang.example"
        elif isinstance(field, (models.CharField, models.TextField)):
            values[field.name] = f"{MARKER} {model.__name__}"[: field.max_length or 200]
        elif isinstance(field, models.BooleanField):
            values[field.name] = False
    return model._default_manager.create(village=village, **values)


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def param_names(route: str) -> list[str]:
    return [m[1] or m[2] for m in PARAM_RE.findall(route)]


def build_path(route: str, values: dict) -> str:
    def repl(match):
        name = match.group(2) or match.group(3)
        return str(values[name])

    # regex routes: (?P<name>...) groups first, then <converter:name>, then anchors and escapes
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route)
    path = re.sub(r"<(?:(\w+):)?(\w+)>", repl, path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    path = re.sub(r"\(\?:[^)]*\)\?", "", path)
    return "/" + path


def model_of(callback):
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
    if isinstance(model, str):
        from django.apps import apps

        model = apps.get_model(model)
    if isinstance(model, type) and issubclass(model, models.Model):
        return model
    for attr in ("view_class", "cls"):
        view_class = getattr(callback, attr, None)
        if view_class is None:
            continue
        try:
            model = view_class.model
        except Exception:
            model = None
        if isinstance(model, type) and issubclass(model, models.Model):
            return model
    viewset = getattr(callback, "sidekem_viewset", None)
    return viewset.model if viewset else None


def instance_for(model, w: KandangWorld):
    """The Kandang object of a model (or, for global models, any object: editors get none)."""
    if issubclass(model, Page):
        if issubclass(model, SamplePage) or model is Page:
            return w.page
        if issubclass(model, VillageHomePage):
            return w.home
        if issubclass(model, DistrictHomePage):
            return DistrictHomePage.objects.first()
        return model.objects.descendant_of(w.home).first() or w.page
    table = {
        get_image_model(): w.image,
        get_document_model(): w.document,
        Collection: w.village.collection,
        Site: w.village.site,
        Group: w.village.editors_group,
        get_user_model(): get_user_model().objects.get(username="editor.kandang"),
        Village: w.village,
        Kecamatan: w.village.kecamatan,
        Redirect: w.redirect,
        Revision: w.page.latest_revision,
        Locale: Locale.objects.get(language_code="en"),
        VillageSiteSettings: VillageSiteSettings.for_site(w.village.site),
        PageViewRestriction: w.page_restriction,
        CollectionViewRestriction: w.collection_restriction,
        PluginSwitchChange: PluginSwitchChange.objects.filter(village=w.village).first(),
        PluginSwitch: PluginSwitch.objects.filter(village=w.village).first(),
    }
    for klass, obj in table.items():
        if issubclass(model, klass):
            return obj
    if any(f.name == "village" for f in model._meta.get_fields()):
        return model.objects.filter(village=w.village).first() or autofill(model, w.village)
    if issubclass(model, (Workflow, Task)):
        return model.objects.first()
    obj = model._default_manager.first()
    assert obj is not None, f"the sweep cannot find any {model.__name__} to try"
    return obj


def translation_for(w: KandangWorld):
    from wagtail_localize.models import Translation

    return Translation.objects.filter(source__object_id=w.home.translation_key).first()


def fixed_values(w: KandangWorld) -> dict:
    from wagtail_localize.models import StringSegment, TranslationSource

    translation = translation_for(w)
    source = TranslationSource.objects.get(object_id=w.home.translation_key)
    segment = StringSegment.objects.filter(source=source).first()
    return {
        "page_id": w.page.pk,
        "page_pk": w.page.pk,
        "page_to_move_id": w.page.pk,
        "parent_page_id": w.home.pk,
        "destination_id": w.home.pk,
        "image_id": w.image.pk,
        "document_id": w.document.pk,
        "doc_id": w.document.pk,
        "collection_id": w.village.collection_id,
        "revision_id": w.page.latest_revision_id,
        "revision_id_a": "earliest",
        "revision_id_b": "live",
        "redirect_id": w.redirect.pk,
        "translation_id": translation.pk,
        "translation_source_id": source.pk,
        "string_segment_id": segment.pk if segment else 1,
        "overridable_segment_id": 1,
        "uploaded_file_id": 1,
        "workflow_state_id": 1,
        "task_state_id": 1,
        "task_id": 1,
        "workflow_pk": Workflow.objects.first().pk if Workflow.objects.exists() else 1,
        "session_id": 1,
        "mode": "",
        "filter_spec": "original",
        "kind": "population",
        "year": 2025,
        "action_name": "publish",
        "action": "delete",
        "page_view_restriction_id": w.page_restriction.pk,
        "restriction_id": w.collection_restriction.pk,
    }


# Function views that do not say their model: by URL prefix.
ROUTE_MODELS = [("admin/pages/", Page), ("admin/workflows/", Workflow)]

# Parameters that name a kind of thing or an action, not an object.
TYPE_PARAMS = {
    "app_label",
    "model_name",
    "app_name",
    "content_type_app_name",
    "content_type_model_name",
    "action",
    "action_name",
    "mode",
    "filter_spec",
    "kind",
    "year",
}
# Global, district-level objects (not anybody's village): only the marker check applies.
GLOBAL_PARAMS = {
    "task_id",
    "workflow_pk",
    "session_id",
    "workflow_state_id",
    "task_state_id",
    "overridable_segment_id",
    "uploaded_file_id",
}
GLOBAL_MODELS = (Workflow, Task)

MODEL_PARAMS = {
    "pk",
    "object_id",
    "app_label",
    "model_name",
    "app_name",
    "content_type_app_name",
    "content_type_model_name",
}


def candidate_requests(route, pattern, w, values):
    """(path, query) pairs to try for one URL pattern, or raise naming what is unmapped."""
    names = param_names(route)
    base = {n: values[n] for n in names if n in values}
    unknown = [n for n in names if n not in values and n not in MODEL_PARAMS]
    assert not unknown, f"sweep cannot fill {unknown} in {route}: map them in fixed_values()"
    model_params = [n for n in names if n in MODEL_PARAMS]
    object_params = [n for n in names if n not in TYPE_PARAMS | GLOBAL_PARAMS]
    if not model_params:
        return [(build_path(route, base), "", bool(object_params))]
    if any(n in names for n in ("app_label", "app_name", "content_type_app_name")):
        # generic per-model URLs: try every model that has a Kandang object
        targets = [
            SamplePage,
            VillageHomePage,
            get_image_model(),
            get_document_model(),
            SampleNote,
            VillageSiteSettings,
            Page,
        ]
    else:
        model = model_of(pattern.callback) or next(
            (m for prefix, m in ROUTE_MODELS if route.startswith(prefix)), None
        )
        assert model is not None, f"sweep cannot tell the model behind {route}"
        targets = [model]
    out = []
    for model in targets:
        obj = instance_for(model, w)
        filled = dict(base)
        for n in names:
            if n in ("app_label", "app_name", "content_type_app_name"):
                filled[n] = model._meta.app_label
            elif n in ("model_name", "content_type_model_name"):
                filled[n] = model._meta.model_name
            elif n in ("pk", "object_id"):
                is_setting = route.startswith("admin/settings/")
                filled[n] = w.village.site_id if is_setting else obj.pk
        query = f"id={obj.pk}" if route.startswith("admin/bulk/") else ""
        must_refuse = (bool(object_params) or bool(query)) and not issubclass(model, GLOBAL_MODELS)
        out.append((build_path(route, filled), query, must_refuse))
    return out


def refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        # Wagtail's own permission_denied(): back to the dashboard with an error message
        return response["Location"] in ("/admin/", "/admin")
    return False


def snapshot(w: KandangWorld):
    w.page.refresh_from_db()
    return (
        Page.objects.descendant_of(w.home, inclusive=True).count(),
        w.page.title,
        w.page.live,
        w.page.latest_revision_id,
        get_image_model().objects.filter(collection=w.village.collection).count(),
        get_document_model().objects.filter(collection=w.village.collection).count(),
        SampleNote.objects.filter(village=w.village).count(),
        Redirect.objects.filter(site=w.village.site).count(),
        w.village.site.hostname,
    )


def object_routes():
    for route, pattern in walk(get_resolver().url_patterns):
        if not param_names(route) or route.startswith(SKIP_ROUTES):
            continue
        if not (
            route.startswith("admin/")
            or route.startswith("api/")
            or getattr(pattern.callback, "sidekem_plugin_key", None)
        ):
            continue
        yield route, pattern


def test_editor_of_kreo_reaches_no_object_of_kandang(client, world, kreo_editor):
    values = fixed_values(world)
    client.force_login(kreo_editor)
    client.raise_request_exception = False
    before = snapshot(world)
    leaks, checked = [], 0
    for route, pattern in object_routes():
        for path, query, must_refuse in candidate_requests(route, pattern, world, values):
            url = f"{path}?{query}" if query else path
            for method in ("get", "post"):
                response = getattr(client, method)(url, HTTP_HOST="kreo.localhost")
                checked += 1
                body = (
                    response.content.decode(errors="replace")
                    if hasattr(response, "content")
                    else ""
                )
                if response.status_code >= 500:
                    leaks.append(f"{method.upper()} {url} -> {response.status_code}")
                elif (must_refuse and not refused(response)) or MARKER in body:
                    leaks.append(f"{method.upper()} {url} -> {response.status_code}")
    assert snapshot(world) == before, "a refused request changed Kandang's data"
    assert checked > 150, checked
    assert not leaks, "Kreo editor reached Kandang:\n" + "\n".join(leaks)


def test_sweep_is_not_vacuous(client, world, kandang_editor):
    """The same URLs do work for Kandang's own editor: the sweep tries real objects."""
    from django.urls import reverse

    client.force_login(kandang_editor)
    for url in (
        reverse("wagtailadmin_pages:edit", args=[world.page.pk]),
        reverse("wagtailimages:edit", args=[world.image.pk]),
        reverse("wagtaildocs:edit", args=[world.document.pk]),
        reverse("sample_notes:edit", args=[world.note.pk]),
        reverse(
            "wagtailsettings:edit", args=["website", "villagesitesettings", world.village.site_id]
        ),
    ):
        assert client.get(url, HTTP_HOST="kandang.localhost").status_code == 200, url


def listing_routes():
    for route, _pattern in walk(get_resolver().url_patterns):
        if param_names(route) or not route.startswith("admin/") or route.startswith(SKIP_ROUTES):
            continue
        yield route


def test_admin_listings_show_nothing_of_kandang(client, world, kreo_editor):
    client.force_login(kreo_editor)
    client.raise_request_exception = False
    shown, checked = [], 0
    home_id = VillageHomePage.objects.get(
        village__code="33.27.07.2013", locale__language_code="id"
    ).pk
    extra = [f"/admin/pages/{home_id}/", f"/admin/pages/{home_id}/results/"]
    for path in [build_path(route, {}) for route in listing_routes()] + extra:
        for query in ("", "q=RAHASIA", "export=csv"):
            response = client.get(f"{path}?{query}", HTTP_HOST="kreo.localhost")
            checked += 1
            assert response.status_code < 500, f"{path}?{query} -> {response.status_code}"
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode(errors="replace")
            if MARKER in text or world.village.code in text:
                shown.append(f"{path}?{query}")
    assert checked > 50
    assert not shown, "Kandang's objects are listed to Kreo's editor:\n" + "\n".join(shown)


def test_district_admin_sees_all(client, world, district_admin):
    from django.urls import reverse

    client.force_login(district_admin)
    assert MARKER in client.get(reverse("sample_notes:index")).content.decode()
    assert client.get(reverse("sample_notes:edit", args=[world.note.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[world.page.pk])).status_code == 200
