"""A plan item now counts as done once the activity fulfilling it is confirmed by the
partner (before: as soon as it was reported). The kept figures of every pair
(``PairYear.done``) are recounted under the new rule."""

from django.db import migrations


def recount_all(apps, schema_editor):
    from programs.summaries import rebuild_all

    rebuild_all(registry=apps)


class Migration(migrations.Migration):
    dependencies = [("programs", "0009_review_return")]

    operations = [migrations.RunPython(recount_all, migrations.RunPython.noop)]
