"""Default four-eyes rules, editable in the admin."""

from django.db import migrations

RULES = [
    {
        "name": "A reversal in a child-safety case",
        "categories": ["STATEMENT_CATEGORY_PROTECTION_OF_MINORS"],
        "outcomes": ["reversed", "partly_reversed"],
        "when_compensation": False,
    },
    {
        "name": "Any decision that orders compensation",
        "categories": [],
        "outcomes": [],
        "when_compensation": True,
    },
]


def create(apps, schema_editor):
    FourEyesRule = apps.get_model("appeals", "FourEyesRule")
    for rule in RULES:
        FourEyesRule.objects.get_or_create(name=rule["name"], defaults=rule)


def remove(apps, schema_editor):
    apps.get_model("appeals", "FourEyesRule").objects.filter(
        name__in=[r["name"] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_default_deadline_policies")]
    operations = [migrations.RunPython(create, remove)]
