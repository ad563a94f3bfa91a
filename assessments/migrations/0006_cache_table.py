"""The table of Django's database cache (settings.CACHES), which keeps the password reset
limits shared between worker processes. Created here so that `migrate` is all a deployment
runs."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_cohort_audit_kinds")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
