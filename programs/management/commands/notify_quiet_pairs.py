from django.core.management.base import BaseCommand

from programs.notices import quiet_pairs


class Command(BaseCommand):
    help = (
        "Tells the principals and officers of each pair with no activity for 90 days (at most once a month "
        "per person and pair). Run once a day, e.g. by cron."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{quiet_pairs()} notification(s) made")
