"""Indonesian names for what Wagtail's own migrations create in English: the page tree's root,
the root collection and the default moderation workflow and its task (shown in the admin's
explorer, collection chooser and workflow screens)."""

from django.db import migrations

RENAMES = [
    ("wagtailcore", "Page", "title", "Root", "Semua situs", {"depth": 1}),
    ("wagtailcore", "Collection", "name", "Root", "Semua koleksi", {"depth": 1}),
    ("wagtailcore", "Workflow", "name", "Moderators approval", "Persetujuan moderator", {}),
    ("wagtailcore", "Task", "name", "Moderators approval", "Persetujuan moderator", {}),
]


def rename(apps, schema_editor):
    for app, model, field, old, new, extra in RENAMES:
        apps.get_model(app, model).objects.filter(**{field: old}, **extra).update(**{field: new})


def restore(apps, schema_editor):
    for app, model, field, old, new, extra in RENAMES:
        apps.get_model(app, model).objects.filter(**{field: new}, **extra).update(**{field: old})


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0003_village_home_tagline_share_image"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, restore)]
