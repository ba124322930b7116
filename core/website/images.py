"""Images of many objects in one query.

Renditions are not prefetched: Wagtail keeps them in the shared cache, so a warm page asks the
database for none; prefetching would bypass that cache and cost a query on every request.
"""

from __future__ import annotations

from wagtail.images import get_image_model


def attach_images(objects, field: str = "featured_image") -> None:
    """Set ``obj.<field>`` on every object from one image query."""
    objects = [obj for obj in objects if obj is not None]
    ids = {getattr(obj, f"{field}_id") for obj in objects} - {None}
    images = {img.pk: img for img in get_image_model().objects.filter(pk__in=ids)} if ids else {}
    for obj in objects:
        image_id = getattr(obj, f"{field}_id")
        if image_id:
            setattr(obj, field, images.get(image_id))


def load_images(objects_by_field: list[tuple[object, str]]) -> None:
    """Like :func:`attach_images` for objects with different image fields, still one query."""
    pairs = [(obj, f) for obj, f in objects_by_field if obj is not None]
    ids = {getattr(obj, f"{f}_id") for obj, f in pairs} - {None}
    images = {img.pk: img for img in get_image_model().objects.filter(pk__in=ids)} if ids else {}
    for obj, f in pairs:
        image_id = getattr(obj, f"{f}_id")
        if image_id:
            setattr(obj, f, images.get(image_id))
