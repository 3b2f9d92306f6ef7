"""Default deadlines for referrals, editable in the admin:
trusted-flagger reports within 2 business days, intimate images and child sexual
abuse within 48 hours, other reports within 7 calendar days."""

from django.db import migrations

DEFAULTS = [
    ("referral", "standard", 7, "calendar_days"),
    ("referral", "priority", 2, "business_days"),
    ("referral_intimate", "standard", 48, "hours"),
    ("referral_intimate", "priority", 48, "hours"),
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
    apps.get_model("appeals", "DeadlinePolicy").objects.filter(
        jurisdiction=None, case_type__in=["referral", "referral_intimate"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0010_organisations_reports_misuse")]
    operations = [migrations.RunPython(create, remove)]
