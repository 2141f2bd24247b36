"""Who may follow feeds: journalists and editors subscribe to feeds, change them and see
their entries; the API's read-only `reader` role sees both.

The groups come from the claims app's role migrations; the new models' permissions do not
exist yet on a fresh database, so they are created here first."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "journalist": [
        "articles.add_feed", "articles.change_feed", "articles.view_feed",
        "articles.view_feedentry",
    ],
    "editor": [
        "articles.add_feed", "articles.change_feed", "articles.view_feed",
        "articles.view_feedentry",
    ],
    "reader": ["articles.view_feed", "articles.view_feedentry"],
}


def _permissions(apps, dotted_names):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for dotted in dotted_names:
        app_label, codename = dotted.split(".")
        found.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for role, names in ROLES.items():
        for group in Group.objects.filter(name=role):
            group.permissions.add(*_permissions(apps, names))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, names in ROLES.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(*_permissions(apps, names))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_feeds"),
        ("claims", "0006_api_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
