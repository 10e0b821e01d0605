"""``manage.py load_areas``: Vietnam's official administrative units (see ``schools.geo``)."""

from django.core.management.base import BaseCommand, CommandError

from schools.geo import FIXTURE, load_areas


class Command(BaseCommand):
    help = (
        "Load Vietnam's administrative units before and after 1 July 2025, with the official "
        "old → new mapping (idempotent; never deletes an area)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(FIXTURE), help="The areas file (CSV).")
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            metavar="CODE",
            help="Only this province (today's two-digit code) and the areas that ended into it; repeatable.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, write nothing.")

    def handle(self, *args, **options):
        try:
            summary = load_areas(path=options["file"], provinces=options["province"], dry_run=options["dry_run"])
        except (OSError, KeyError, ValueError) as error:
            raise CommandError(f"Cannot load {options['file']}: {error}") from error
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        if options["verbosity"]:
            self.stdout.write(f"{prefix}{summary}.")
