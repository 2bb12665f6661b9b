"""A message names the round and the municipality it is about.

For messages already stored: a municipality's message is about that municipality; the round is
not recorded in them and stays empty.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imv", "0012_notification_read_per_user"),
        ("tenants", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="about",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tenants.municipality",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="round",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="imv.consultationround",
            ),
        ),
        migrations.RunSQL(
            "UPDATE imv_notification SET about_id = municipality_id WHERE municipality_id IS NOT NULL",
            migrations.RunSQL.noop,
        ),
    ]
