"""The database cache's table (CACHES: DatabaseCache, table portal_cache), made by
``migrate`` so that a deployment needs no separate ``createcachetable`` step.

It runs Django's own ``createcachetable`` for the configured caches: nothing happens
when the table already exists (a database set up before this migration). Unapplying
it leaves the table, which the cache still uses.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        # 0019 in the brief; 0020 is the current leaf, and two leaves stop migrate.
        ("appeals", "0020_reports_rate_counters"),
    ]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
