from django.core.management.base import BaseCommand

from jobs.runner import purge_expired


class Command(BaseCommand):
    help = "Delete background jobs kept past their date, with their files (every new job does this too)."

    def handle(self, *args, **options):
        count = purge_expired()
        self.stdout.write(f"{count} expired job(s) deleted.")
