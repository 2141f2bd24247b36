"""Create the newsroom roles as groups with their permissions.

Permissions are normally created after all migrations ran; a fresh database has none
yet at this point, so they are created here first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    "articles.view_article", "articles.view_source", "articles.view_sourcealias",
    "claims.view_claim", "claims.view_appearance", "claims.view_evidence",
    "claims.view_statuschange", "claims.view_tag", "claims.view_articlecheck",
]
JOURNALIST = [
    *VIEW_ALL,
    "articles.add_article", "articles.change_article",
    "articles.add_source", "articles.change_source",
    "articles.add_sourcealias", "articles.change_sourcealias",
    "claims.add_claim", "claims.change_claim", "claims.add_tag",
    "claims.add_appearance", "claims.change_appearance",
    "claims.add_evidence",
]
EDITOR = [
    *JOURNALIST,
    "claims.set_claim_status", "claims.review_evidence", "claims.change_evidence",
    "claims.merge_claims", "claims.delete_appearance",
]
ROLES = {"journalist": JOURNALIST, "editor": EDITOR}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("claims", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
