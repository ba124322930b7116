from django.core.management.base import BaseCommand

from plugins.admin_services.retention import erase_expired, retention_days


class Command(BaseCommand):
    help = "Erase personal data of closed service requests older than the retention period."

    def handle(self, *args, **options):
        count = erase_expired()
        self.stdout.write(f"{count} requests erased (retention {retention_days()} days)")
