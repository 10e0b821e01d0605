"""Erases the private notes about sponsored children PUPIL_NOTE_DAYS after the support
was given — from the donations and from their change history. Run it daily (cron);
it is idempotent."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from programs.services.donations import donation_notes_erase


def erase_pupil_notes(today=None) -> int:
    """Returns how many donations had a note erased."""
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=settings.PUPIL_NOTE_DAYS)
    return donation_notes_erase(given_before=cutoff)


class Command(BaseCommand):
    help = "Erase the private notes about sponsored children kept longer than PUPIL_NOTE_DAYS (daily, by cron)."

    def handle(self, *args, **options):
        count = erase_pupil_notes()
        self.stdout.write(f"Private notes erased from {count} donation(s).")
