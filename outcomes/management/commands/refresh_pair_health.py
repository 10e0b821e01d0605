from django.core.management.base import BaseCommand

from outcomes.health import refresh


class Command(BaseCommand):
    help = "Recomputes the health mark (good / needs attention / at risk) of every active pair. Run once a day."

    def handle(self, *args, **options):
        self.stdout.write(f"{refresh()} pair(s) assessed")
