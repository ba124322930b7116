from django.db import migrations

from plugins.admin_services.catalogue import COMPLAINTS, LETTERS


def seed(apps, schema_editor):
    ServiceTemplate = apps.get_model("admin_services", "ServiceTemplate")
    for item in LETTERS:
        ServiceTemplate.objects.update_or_create(
            code=item["code"],
            defaults={
                "kind": "surat",
                "name": item["name"],
                "description": item["description"],
                "required_documents": "\n".join(item["documents"]),
                "fields": item["fields"],
                "service_level_days": item["days"],
                "letter_subject": item["name"],
                "letter_body": item["body"],
            },
        )
    for item in COMPLAINTS:
        ServiceTemplate.objects.update_or_create(
            code=item["code"],
            defaults={
                "kind": "pengaduan",
                "name": item["name"],
                "description": item["description"],
                "required_documents": "",
                "fields": item["fields"],
                "service_level_days": item["days"],
            },
        )


def unseed(apps, schema_editor):
    ServiceTemplate = apps.get_model("admin_services", "ServiceTemplate")
    codes = [i["code"] for i in LETTERS + COMPLAINTS]
    ServiceTemplate.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("admin_services", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
