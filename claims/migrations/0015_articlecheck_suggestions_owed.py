from django.db import migrations, models
from django.db.models import F


def mark_existing_as_suggested(apps, schema_editor):
    # Articles stored before the suggestions joined the outbox had theirs computed (or
    # predate suggestions): owing none, they are not swept.
    ArticleCheck = apps.get_model("claims", "ArticleCheck")
    ArticleCheck.objects.update(suggested_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0014_hash_existing_tokens")]

    operations = [
        migrations.AddField(
            model_name="articlecheck",
            name="suggested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="articlecheck",
            name="suggestion_sends",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(mark_existing_as_suggested, migrations.RunPython.noop),
    ]
