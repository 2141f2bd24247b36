"""Journalists and editors act on suggestions (accept, dismiss); readers see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "journalist": ["view_suggestion", "change_suggestion"],
    "editor": ["view_suggestion", "change_suggestion"],
    "reader": ["view_suggestion"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("claims", "0012_suggestions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
