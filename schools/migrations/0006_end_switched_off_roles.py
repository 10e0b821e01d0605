"""Memberships switched off before roles had dates (is_active False, no valid_until)
still counted as open roles: the one open role per person, unit and role, which an
invitation or a change of role would then switch on again as if it had been held all
along. Each gets a last day: the day it was switched off, read from its history (the
start of its last run of switched-off records), else the day this runs; never before
the day it began."""

from django.db import migrations
from django.utils import timezone


def switched_off_on(history, membership_id):
    """The day the membership was last switched off, by its history, or None."""
    since = None
    for record in history.filter(id=membership_id).order_by("history_date", "history_id"):
        if record.is_active:
            since = None
        elif since is None:
            since = record.history_date
    if since is None:
        return None
    return timezone.localdate(since) if timezone.is_aware(since) else since.date()


def end_switched_off_roles(apps, schema_editor):
    Membership = apps.get_model("schools", "Membership")
    history = apps.get_model("schools", "HistoricalMembership").objects
    today = timezone.localdate()
    for membership in Membership.objects.filter(is_active=False, valid_until__isnull=True).only("pk", "valid_from"):
        last_day = switched_off_on(history, membership.pk) or today
        if membership.valid_from is not None and membership.valid_from > last_day:
            last_day = membership.valid_from
        Membership.objects.filter(pk=membership.pk).update(valid_until=last_day)


class Migration(migrations.Migration):
    dependencies = [("schools", "0005_membership_dates")]

    operations = [
        migrations.RunPython(end_switched_off_roles, migrations.RunPython.noop),
    ]
