"""API keys expire. A key issued before this migration expires API_KEY_LIFETIME_DAYS after it was
created (one year by default), or 30 days from now when that moment has already passed, so that no
provider is cut off without the admin's warning."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

import providers.models


def expire_existing_keys(apps, schema_editor):
    ApiToken = apps.get_model("providers", "ApiToken")
    lifetime = timedelta(days=settings.API_KEYS["LIFETIME_DAYS"])
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=F("created_at") + lifetime)
    ApiToken.objects.filter(expires_at__lt=timezone.now() + timedelta(days=30), revoked_at__isnull=True).update(
        expires_at=timezone.now() + timedelta(days=30)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('providers', '0006_dutch_field_labels'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(null=True, verbose_name='verloopt op'),
        ),
        migrations.RunPython(expire_existing_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(default=providers.models.api_key_expiry, verbose_name='verloopt op'),
        ),
    ]
