# Issue 14 §6: a gift in kind (quantity and items), the money value optional for it.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0007_reporting_calendar"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="donation",
            name="programs_donation_amount_positive",
        ),
        migrations.AddField(
            model_name="donation",
            name="nature",
            field=models.CharField(
                choices=[("money", "In money"), ("in_kind", "In kind")],
                default="money",
                max_length=10,
                verbose_name="given as",
            ),
        ),
        migrations.AddField(
            model_name="donation",
            name="quantity",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="quantity"),
        ),
        migrations.AddField(
            model_name="donation",
            name="unit_label",
            field=models.CharField(
                blank=True,
                help_text="What was given, e.g. “bộ máy tính”, “cuốn sách”.",
                max_length=80,
                verbose_name="items",
            ),
        ),
        migrations.AddField(
            model_name="historicaldonation",
            name="nature",
            field=models.CharField(
                choices=[("money", "In money"), ("in_kind", "In kind")],
                default="money",
                max_length=10,
                verbose_name="given as",
            ),
        ),
        migrations.AddField(
            model_name="historicaldonation",
            name="quantity",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="quantity"),
        ),
        migrations.AddField(
            model_name="historicaldonation",
            name="unit_label",
            field=models.CharField(
                blank=True,
                help_text="What was given, e.g. “bộ máy tính”, “cuốn sách”.",
                max_length=80,
                verbose_name="items",
            ),
        ),
        migrations.AlterField(
            model_name="donation",
            name="amount",
            field=models.BigIntegerField(
                blank=True,
                help_text="Whole đồng, e.g. 240.000.000. Required for money; for a gift in kind, its value if known.",
                null=True,
                verbose_name="amount (VND)",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldonation",
            name="amount",
            field=models.BigIntegerField(
                blank=True,
                help_text="Whole đồng, e.g. 240.000.000. Required for money; for a gift in kind, its value if known.",
                null=True,
                verbose_name="amount (VND)",
            ),
        ),
        migrations.AddConstraint(
            model_name="donation",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__isnull", True), ("amount__gt", 0), _connector="OR"),
                name="programs_donation_amount_positive",
                violation_error_message="The amount must be greater than 0 đồng.",
            ),
        ),
        migrations.AddConstraint(
            model_name="donation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("nature", "money"), _negated=True), ("amount__isnull", False), _connector="OR"
                ),
                name="programs_donation_money_has_amount",
                violation_error_message="Enter the amount in đồng of support given in money.",
            ),
        ),
        migrations.AddConstraint(
            model_name="donation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("nature", "in_kind"), _negated=True),
                    models.Q(
                        ("quantity__gt", 0), ("quantity__isnull", False), models.Q(("unit_label", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="programs_donation_in_kind_has_items",
                violation_error_message="A gift in kind needs its quantity and what was given.",
            ),
        ),
        migrations.AddConstraint(
            model_name="donation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("nature", "money"), _negated=True),
                    models.Q(("quantity__isnull", True), ("unit_label", "")),
                    _connector="OR",
                ),
                name="programs_donation_money_has_no_items",
                violation_error_message="A quantity of items belongs to a gift in kind.",
            ),
        ),
    ]
