"""What a form saves may reference only objects of the village of the object being edited.

Choosers show only the user's own village, but the server used to accept any id that was posted:
a Kreo editor could save a page with Kandang's document in ``featured_image`` or in a StreamField
block, and the public page then linked it. Here every admin form is checked on the server, by
class rather than field by field:

* every page form (all page types, plugins' included: :func:`install_page_forms` gives each page
  model a ``base_form_class`` with :class:`VillageReferencesFormMixin`), against the village of the
  page or of its parent; district administrators are held to the same rule on a village's pages,
  and the district portal's own pages may reference anything;
* every form of a village data viewset (``_ScopedViewMixin.get_form`` in
  core/confinement/viewsets.py calls :func:`guard_form_references`), against the village chosen in
  the form.

A reference is any form value that is a village-scoped object (a page, an image or document by
its collection, a collection, a site, a village, or any model with a ``village`` foreign key), in
a plain field, a multiple choice, the rich text of a field or block, or any block of a StreamField
at any depth (Wagtail's own ``extract_references`` finds them in leaf blocks). Each offending
field or block gets an Indonesian error and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import ListBlock, RichTextBlock, StreamBlock, StructBlock
from wagtail.blocks.base import Block, BlockField
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.models import AbstractDocument
from wagtail.images.blocks import ImageBlock
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, CollectionMember, Page, Site

from core.villages.lookup import village_id_for_page, village_id_of
from core.villages.models import Village

if TYPE_CHECKING:  # django-stubs is a development dependency only
    from django_stubs_ext import StrPromise

# (owned by another village, owned by no village), per kind of object.
MESSAGES: dict[str, tuple[StrPromise, StrPromise]] = {
    "image": (_("Gambar ini milik desa lain."), _("Gambar ini bukan dari koleksi desa ini.")),
    "document": (
        _("Dokumen ini milik desa lain."),
        _("Dokumen ini bukan dari koleksi desa ini."),
    ),
    "page": (_("Halaman ini milik desa lain."), _("Halaman ini bukan bagian dari situs desa ini.")),
    "data": (_("Data ini milik desa lain."), _("Data ini bukan milik desa ini.")),
}
RICH_TEXT_MESSAGES: tuple[StrPromise, StrPromise] = (
    _("Teks ini menautkan atau memuat sesuatu milik desa lain."),
    _("Teks ini menautkan atau memuat sesuatu yang bukan milik desa ini."),
)


# -- whose is it -------------------------------------------------------------------------------
def collection_village_id(collection_id: int | None) -> int | None:
    """Village of a collection, or of the nearest village collection above it (a district
    administrator may nest collections inside a village's)."""
    if collection_id is None:
        return None
    village_id = village_id_of(Collection(pk=collection_id))
    if village_id is not None:
        return village_id
    collection = Collection.objects.filter(pk=collection_id).first()
    if collection is None:
        return None
    for ancestor_id in collection.get_ancestors().values_list("pk", flat=True):
        village_id = village_id_of(Collection(pk=ancestor_id))
        if village_id is not None:
            return village_id
    return None


def owner_village_id(obj: Any) -> int | None:
    """Village an object belongs to (``None``: the district's, or nobody's)."""
    if isinstance(obj, CollectionMember):
        return collection_village_id(obj.collection_id)
    if isinstance(obj, Collection):
        return collection_village_id(obj.pk)
    return village_id_of(obj)


def is_village_scoped(model: type) -> bool:
    """Pages, images, documents, collections, sites, villages and models with a ``village`` key."""
    if not (isinstance(model, type) and issubclass(model, models.Model)):
        return False
    if issubclass(model, Page | CollectionMember | Collection | Site | Village):
        return True
    try:
        field = model._meta.get_field("village")
    except FieldDoesNotExist:
        return False
    return getattr(field, "related_model", None) is Village


def _kind(model: type) -> str:
    if issubclass(model, AbstractImage):
        return "image"
    if issubclass(model, AbstractDocument):
        return "document"
    if issubclass(model, Page):
        return "page"
    return "data"


class ReferenceChecker:
    """Answers, for objects referenced by a form, whether they belong to ``village_id``."""

    def __init__(self, village_id: int) -> None:
        self.village_id = village_id
        self._loaded: dict[tuple[type, str], models.Model | None] = {}

    def foreign(self, obj: Any) -> bool | None:
        """``None`` when ``obj`` may be referenced; else whether another village owns it (or
        ``False``: no village does)."""
        if not isinstance(obj, models.Model) or not is_village_scoped(type(obj)):
            return None
        owner = owner_village_id(obj)
        if owner == self.village_id:
            return None
        return owner is not None

    def object_error(self, obj: Any) -> StrPromise | None:
        foreign = self.foreign(obj)
        if foreign is None:
            return None
        return MESSAGES[_kind(type(obj))][0 if foreign else 1]

    def load(self, model: type, object_id: Any) -> models.Model | None:
        key = (model, str(object_id))
        if key not in self._loaded:
            try:
                obj = model._default_manager.filter(pk=object_id).first()  # type: ignore[attr-defined]
            except (ValueError, TypeError, ValidationError):
                obj = None  # not an id at all: nothing is referenced
            self._loaded[key] = obj
        return self._loaded[key]

    def reference_errors(
        self, references: Iterable[tuple], rich_text: bool = False
    ) -> list[StrPromise]:
        """Messages for ``(model, object_id, …)`` tuples as Wagtail's ``extract_references``
        yields them. A dangling id references nothing (Wagtail renders it as a broken link)."""
        messages: list[StrPromise] = []
        for model, object_id, *_rest in references:
            if not is_village_scoped(model):
                continue
            obj = self.load(model, object_id)
            foreign = self.foreign(obj) if obj is not None else None
            if foreign is None:
                continue
            if rich_text:
                message = RICH_TEXT_MESSAGES[0 if foreign else 1]
            else:
                message = MESSAGES[_kind(type(obj))][0 if foreign else 1]
            if message not in messages:
                messages.append(message)
        return messages

    # -- StreamField --------------------------------------------------------------------------
    def block_error(self, block: Block, value: Any) -> ValidationError | None:
        """A nested block error (shown on the offending block) or ``None``."""
        if value is None:
            return None
        if isinstance(block, StreamBlock):
            errors = {}
            for index, child in enumerate(value):
                error = self.block_error(child.block, child.value)
                if error is not None:
                    errors[index] = error
            return StreamBlockValidationError(block_errors=errors) if errors else None
        if isinstance(block, ListBlock):
            if hasattr(value, "bound_blocks"):
                items = [(child.block, child.value) for child in value.bound_blocks]
            else:
                items = [(block.child_block, item) for item in value]
            errors = {}
            for index, (child_block, child_value) in enumerate(items):
                error = self.block_error(child_block, child_value)
                if error is not None:
                    errors[index] = error
            return ListBlockValidationError(block_errors=errors) if errors else None
        if isinstance(block, StructBlock) and isinstance(value, Mapping):
            errors = {}
            for name, child_block in block.child_blocks.items():
                error = self.block_error(child_block, value.get(name))
                if error is not None:
                    errors[name] = error
            return StructBlockValidationError(block_errors=errors) if errors else None
        # A leaf: chooser blocks, rich text, ImageBlock (whose value is the image itself), and any
        # block that reports its references to Wagtail's reference index.
        messages = self.reference_errors(
            block.extract_references(value), rich_text=isinstance(block, RichTextBlock)
        )
        if not messages and (message := self.object_error(value)) is not None:
            messages = [message]
        if not messages:
            return None
        error = ValidationError(messages)
        if isinstance(block, ImageBlock):
            return StructBlockValidationError(block_errors={"image": error})
        return error

    # -- forms --------------------------------------------------------------------------------
    def field_error(self, form: Any, name: str, field: Any, value: Any) -> ValidationError | None:
        if isinstance(field, BlockField):
            return self.block_error(field.block, value)
        if isinstance(value, models.Model):
            message = self.object_error(value)
            return ValidationError(message) if message is not None else None
        if isinstance(value, QuerySet | list | tuple):
            messages: list[StrPromise] = []
            for item in value:
                message = self.object_error(item)
                if message is not None and message not in messages:
                    messages.append(message)
            return ValidationError(messages) if messages else None
        model_field = _model_field(form, name)
        if isinstance(value, str) and hasattr(model_field, "extract_references"):  # rich text
            messages = self.reference_errors(model_field.extract_references(value), rich_text=True)
            return ValidationError(messages) if messages else None
        return None

    def check_form(self, form: Any, skip: Iterable[str] = ()) -> None:
        """Add an error to every field of ``form``, and of its inline child forms, that references
        an object outside the village."""
        skipped = set(skip)
        cleaned_data = getattr(form, "cleaned_data", None) or {}
        for name, field in list(form.fields.items()):
            if name in skipped or name not in cleaned_data:
                continue
            error = self.field_error(form, name, field, cleaned_data[name])
            if error is not None:
                form.add_error(name, error)
        for formset in getattr(form, "formsets", {}).values():
            for child in formset.forms:
                child.errors  # noqa: B018  cleans the child form (its errors count for the formset)
                child_data = getattr(child, "cleaned_data", None) or {}
                if not child_data.get(DELETION_FIELD_NAME):
                    self.check_form(child)


def _model_field(form: Any, name: str) -> Any:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def check_references(form: Any, village_id: int, skip: Iterable[str] = ()) -> None:
    """Errors on the fields of ``form`` that reference objects outside ``village_id``."""
    ReferenceChecker(village_id).check_form(form, skip)


# -- page forms --------------------------------------------------------------------------------
def page_form_village_id(form: Any) -> int | None:
    """Village of the page a page form edits (of its parent for a new page)."""
    page = form.instance
    if page.path:
        return village_id_for_page(page)
    return village_id_for_page(getattr(form, "parent_page", None))


class VillageReferencesFormMixin:
    """For page forms: references must belong to the page's village (none on portal pages)."""

    def clean(self) -> Any:
        cleaned_data = super().clean()  # type: ignore[misc]
        village_id = page_form_village_id(self)
        if village_id is not None:
            check_references(self, village_id)
        return cleaned_data


class VillagePageForm(VillageReferencesFormMixin, WagtailAdminPageForm):
    """The admin form of every page type that has no form of its own."""


_wrapped_forms: dict[type, type] = {}


def village_form_class(base: type | None) -> type:
    """``base`` (a page type's own form class) with the reference check."""
    if base is None or base is WagtailAdminPageForm:
        return VillagePageForm
    if issubclass(base, VillageReferencesFormMixin):
        return base
    if base not in _wrapped_forms:
        metaclass: Any = type(base)
        _wrapped_forms[base] = metaclass(
            f"Village{base.__name__}",
            (VillageReferencesFormMixin, base),
            {"__module__": __name__},
        )
    return _wrapped_forms[base]


def install_page_forms() -> None:
    """Give every page model (plugins' too) a ``base_form_class`` with the reference check.

    Wagtail builds a page type's admin form from its edit handler, whose form class is the
    model's ``base_form_class`` unless the edit handler names one. Wagtail sets
    ``base_form_class`` on its own ``Page`` class only, and after this runs (its admin app comes
    later in INSTALLED_APPS), so it is set on each page model here; a model's own form class, and
    an edit handler's, are wrapped. tests/test_village_references.py checks every page model.
    """
    for model in apps.get_models():
        if not issubclass(model, Page) or model is Page:
            continue
        form_class = village_form_class(getattr(model, "base_form_class", None))
        setattr(model, "base_form_class", form_class)  # noqa: B010  (not declared on Model)
        edit_handler = getattr(model, "edit_handler", None)
        if edit_handler is not None and getattr(edit_handler, "base_form_class", None):
            edit_handler.base_form_class = village_form_class(edit_handler.base_form_class)


# -- village data viewsets ---------------------------------------------------------------------
def form_village_id(form: Any, village_field: str) -> int | None:
    """Village a viewset form saves to: its ``village_field`` (or the instance's)."""
    cleaned_data = getattr(form, "cleaned_data", None) or {}
    if village_field in form.fields:
        return village_id_of(cleaned_data.get(village_field))
    instance = getattr(form, "instance", None)
    value: Any = instance
    for part in village_field.split("__"):
        value = getattr(value, part, None) if value is not None else None
    return village_id_of(value)


def guard_form_references(form: Any, village_field: str) -> None:
    """Make a village data form refuse references outside the village it saves to."""
    original_clean = form.clean

    def clean() -> Any:
        cleaned_data = original_clean()
        village_id = form_village_id(form, village_field)
        if village_id is not None:
            check_references(form, village_id, skip=[village_field])
        return cleaned_data

    form.clean = clean
    form.sidekem_reference_guard = village_field
