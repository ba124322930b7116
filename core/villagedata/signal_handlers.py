from django.db.models.signals import post_delete, post_save

from core.villagedata.models import PopulationFigure, PotentialFigure
from core.website import cache as page_cache
from core.website import frontend_cache


def _data_changed(sender, instance, **kwargs):
    # The page cache first, then the front cache (Varnish or a CDN) once committed: a refetch
    # through it never finds the old page in the page cache. The figures show on the village's
    # data page and its charts; a ban of the village's host covers every language and route.
    page_cache.bump_village(instance.village_id)
    frontend_cache.village_changed(instance.village_id)


for _model in (PopulationFigure, PotentialFigure):
    post_save.connect(_data_changed, sender=_model, dispatch_uid=f"pagecache-{_model.__name__}")
    post_delete.connect(
        _data_changed, sender=_model, dispatch_uid=f"pagecache-del-{_model.__name__}"
    )
