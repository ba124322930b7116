from django.db.models.signals import post_delete, post_save

from core.villagedata.models import PopulationFigure, PotentialFigure
from core.website import cache as page_cache


def _data_changed(sender, instance, **kwargs):
    page_cache.bump_village(instance.village_id)


for _model in (PopulationFigure, PotentialFigure):
    post_save.connect(_data_changed, sender=_model, dispatch_uid=f"pagecache-{_model.__name__}")
    post_delete.connect(
        _data_changed, sender=_model, dispatch_uid=f"pagecache-del-{_model.__name__}"
    )
