"""Delete photos sent with activity forms that were never saved.

Why: a photo is re-encoded and kept as soon as a form sends it, so a form returned
with an error does not make a phone upload it again (programs.services.photos). When
the user gives up instead, those files stay behind; after a day nobody can use them
(their tokens have expired). Run daily, e.g. from cron.
"""

from django.core.management.base import BaseCommand

from programs.services.photos import pending_photos_purge


class Command(BaseCommand):
    help = "Delete pending activity photos older than a day (forms never completed)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the files, delete nothing.")

    def handle(self, *args, **options):
        count = pending_photos_purge(dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {count} pending photo files would be deleted.")
        else:
            self.stdout.write(f"Deleted {count} pending photo files.")
