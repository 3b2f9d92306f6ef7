"""Staff roles as groups, and database triggers that keep the audit trail append-only.

PostgreSQL refuses UPDATE and DELETE of audit rows. SQLite (the development
database) refuses UPDATE; it allows DELETE because Django's test flush empties
tables with DELETE there, while on PostgreSQL it uses TRUNCATE, which row
triggers do not see.
"""

from django.db import migrations

ROLES = ["reviewer", "supervisor", "auditor", "platform_liaison"]

# '%%' because schema_editor.execute passes parameters, so psycopg reads '%' as a placeholder.
PG_FORWARD = """
CREATE OR REPLACE FUNCTION appeals_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: %% refused on appeals_auditevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER appeals_auditevent_append_only
    BEFORE UPDATE OR DELETE ON appeals_auditevent
    FOR EACH ROW EXECUTE FUNCTION appeals_auditevent_refuse_change();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS appeals_auditevent_append_only ON appeals_auditevent;
DROP FUNCTION IF EXISTS appeals_auditevent_refuse_change();
"""
SQLITE_FORWARD = """
CREATE TRIGGER appeals_auditevent_append_only
BEFORE UPDATE ON appeals_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused on appeals_auditevent');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS appeals_auditevent_append_only;"


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


def add_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def remove_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunPython(add_guard, remove_guard),
    ]
