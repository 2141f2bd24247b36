"""Webhooks are run by editors: they may add, change, remove and see subscriptions and see
their deliveries and attempts. Journalists and readers get none of it (a subscription's
URL and its deliveries are the newsroom's plumbing, not its content)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    "claims.add_webhooksubscription",
    "claims.change_webhooksubscription",
    "claims.delete_webhooksubscription",
    "claims.view_webhooksubscription",
    "claims.view_webhookdelivery",
    "claims.view_webhookattempt",
]


def _permission(apps, dotted):
    app_label, codename = dotted.split(".")
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, codename=codename
    )


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    editor, _ = apps.get_model("auth", "Group").objects.get_or_create(name="editor")
    editor.permissions.add(*[_permission(apps, dotted) for dotted in EDITOR])


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [dotted.split(".")[1] for dotted in EDITOR]
    for group in Group.objects.filter(name="editor"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_webhooks")]

    operations = [migrations.RunPython(grant, revoke)]
