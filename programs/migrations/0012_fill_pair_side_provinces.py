"""Fills the pairs' copies of their sides' provinces (added by 0011) from the units."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Pair = apps.get_model("programs", "Pair")
    Organization = apps.get_model("schools", "Organization")
    for side in ("mentor", "mentee"):
        province = Organization.objects.filter(pk=OuterRef(f"{side}_id")).values("province_id")[:1]
        Pair.objects.update(**{f"{side}_province_id": Subquery(province)})


class Migration(migrations.Migration):
    dependencies = [("programs", "0011_pair_side_provinces")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
