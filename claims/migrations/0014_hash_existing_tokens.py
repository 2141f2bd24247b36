"""DRF's plain-text tokens become knox's hashed ones: each stored key is hashed into
knox's table (same user, creation time, no expiry), so the tokens tools already hold
keep working, and then the plain keys are deleted. Irreversible by nature: a hash cannot
be turned back into its key (going back leaves the hashed tokens and no plain ones)."""

from django.db import migrations
from knox.crypto import hash_token
from knox.settings import CONSTANTS


def hash_plain_tokens(apps, schema_editor):
    PlainToken = apps.get_model("authtoken", "Token")
    AuthToken = apps.get_model("knox", "AuthToken")
    for plain in PlainToken.objects.all().iterator():
        digest = hash_token(plain.key)
        lookup = plain.key[: CONSTANTS.TOKEN_KEY_LENGTH]
        AuthToken.objects.get_or_create(
            digest=digest, defaults={"token_key": lookup, "user_id": plain.user_id}
        )
        AuthToken.objects.filter(digest=digest).update(created=plain.created)
    PlainToken.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("knox", "0009_extend_authtoken_field"),
        ("claims", "0013_suggestion_roles"),
    ]

    operations = [migrations.RunPython(hash_plain_tokens, migrations.RunPython.noop)]
