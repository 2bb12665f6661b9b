"""Who has read a message is per person, not per message.

The old single read_at cannot say who read a message meant for a municipality's staff, so those
show as unread once more, to each colleague; a message meant for one person stays read for them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def keep_personal_reads(apps, schema_editor):
    Notification = apps.get_model("imv", "Notification")
    NotificationRead = apps.get_model("imv", "NotificationRead")
    NotificationRead.objects.bulk_create(
        NotificationRead(notification_id=n.pk, user_id=n.user_id, read_at=n.read_at)
        for n in Notification.objects.filter(user__isnull=False, read_at__isnull=False)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("imv", "0011_opinion_draft_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NotificationRead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("read_at", models.DateTimeField(verbose_name="gelezen op")),
                (
                    "notification",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="reads", to="imv.notification"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={"verbose_name": "gelezen melding", "verbose_name_plural": "gelezen meldingen"},
        ),
        migrations.AddConstraint(
            model_name="notificationread",
            constraint=models.UniqueConstraint(fields=("notification", "user"), name="notification_read_once_per_user"),
        ),
        migrations.RunPython(keep_personal_reads, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="read_at"),
    ]
