from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Village = apps.get_model("core", "Village")
    Permission = apps.get_model("auth", "Permission")
    from core.content.permissions import GROUP_PERMISSIONS

    for village in Village.objects.all():
        for attr, perms in GROUP_PERMISSIONS.items():
            group_id = getattr(village, f"{attr}_id")
            if not group_id:
                continue
            found = Permission.objects.filter(
                content_type__app_label__in={a for a, _ in perms},
                codename__in={c for _, c in perms},
            )
            village_group = apps.get_model("auth", "Group").objects.get(pk=group_id)
            village_group.permissions.add(*found)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("villagedata", "0001_initial"),
        ("core", "0002_home_page_content"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
