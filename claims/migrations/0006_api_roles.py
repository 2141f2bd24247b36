"""The API's roles: a `reader` group for read-only tokens (an admin issues a token to a
user in it), and read access to the change feed and merge records for everyone."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW_VIEWS = ["claims.view_changeevent", "claims.view_claimmerge"]
READER = [
    "articles.view_article", "articles.view_source", "articles.view_sourcealias",
    "claims.view_claim", "claims.view_appearance", "claims.view_evidence",
    "claims.view_statuschange", "claims.view_tag", "claims.view_articlecheck",
    *NEW_VIEWS,
]


def _permission(apps, dotted):
    app_label, codename = dotted.split(".")
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, codename=codename
    )


def add_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    reader, _ = Group.objects.get_or_create(name="reader")
    reader.permissions.add(*[_permission(apps, dotted) for dotted in READER])
    for group in Group.objects.filter(name__in=["journalist", "editor"]):
        group.permissions.add(*[_permission(apps, dotted) for dotted in NEW_VIEWS])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="reader").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_change_feed"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(add_roles, remove_roles)]
