"""Default deadline policies (acknowledge within 1 business day, decide appeals within
14 calendar days, ...), editable in the admin.

Jurisdiction-specific rows override these; appeals.policies falls back to the
same figures only if an operator deletes the defaults.
"""

from django.db import migrations

DEFAULTS = [
    ("appeal_acknowledgement", "standard", 1, "business_days"),
    ("appeal_acknowledgement", "priority", 1, "business_days"),
    ("appeal_decision", "standard", 14, "calendar_days"),
    ("appeal_decision", "priority", 14, "calendar_days"),
    ("retraction", "standard", 72, "hours"),
    ("retraction", "priority", 72, "hours"),
]


def create(apps, schema_editor):
    DeadlinePolicy = apps.get_model("appeals", "DeadlinePolicy")
    for case_type, priority, amount, unit in DEFAULTS:
        DeadlinePolicy.objects.get_or_create(
            jurisdiction=None,
            case_type=case_type,
            priority=priority,
            defaults={"amount": amount, "unit": unit},
        )


def remove(apps, schema_editor):
    apps.get_model("appeals", "DeadlinePolicy").objects.filter(jurisdiction=None).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_roles_and_audit_guard")]
    operations = [migrations.RunPython(create, remove)]
