"""The pairs keep copies of their two sides' provinces, indexed, so that a Department's
pairs are found by two index lookups (issue 11). Filled from the units by 0012 (on
PostgreSQL, an UPDATE cannot share a transaction with the new foreign keys' indexes)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0010_plan_items_done_when_confirmed"),
        ("schools", "0006_end_switched_off_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="pair",
            name="mentee_province",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="schools.area",
            ),
        ),
        migrations.AddField(
            model_name="pair",
            name="mentor_province",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="schools.area",
            ),
        ),
    ]
