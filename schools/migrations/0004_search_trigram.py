"""A trigram index on the folded search text of units, on PostgreSQL only: the
directory's and the lists' diacritic-free search ("tay mo") is a LIKE '%…%' that a
B-tree cannot serve; with pg_trgm it is an index scan at national size. SQLite has
nothing to add (its tables are small)."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS schools_org_search_trgm ON schools_organization USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS schools_org_search_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("schools", "0003_history_everywhere")]

    operations = [migrations.RunPython(forwards, backwards)]
