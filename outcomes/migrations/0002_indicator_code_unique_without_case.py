# An indicator's code is unique within its Department whatever its case: the Excel
# sheet's columns are matched without case.

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="indicator",
            name="outcomes_indicator_unique_code",
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                models.F("owner"),
                django.db.models.functions.text.Lower("code"),
                name="outcomes_indicator_unique_code",
                violation_error_message="The Department already has an indicator with this code.",
            ),
        ),
    ]
