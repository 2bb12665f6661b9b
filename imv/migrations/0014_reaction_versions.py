"""A reaction keeps its earlier texts: a correction after "beantwoord" is a new, dated version.

Reactions already stored are version 1; their text was last written when they were made, as far
as anyone can tell now, so updated_at starts at created_at.
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('imv', '0013_notification_round_about'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='reaction',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='reaction',
            name='version',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='versie'),
        ),
        migrations.RunSQL("UPDATE imv_reaction SET updated_at = created_at", migrations.RunSQL.noop),
        migrations.CreateModel(
            name='ReactionVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('number', models.PositiveSmallIntegerField(verbose_name='versie')),
                ('disposition', models.CharField(choices=[('overgenomen', 'overgenomen'), ('deels_overgenomen', 'deels overgenomen'), ('niet_overgenomen', 'niet overgenomen')], max_length=20, verbose_name='verwerking')),
                ('explanation', models.TextField(verbose_name='toelichting')),
                ('written_at', models.DateTimeField()),
                ('reason', models.TextField(verbose_name='reden van de correctie')),
                ('corrected_at', models.DateTimeField(verbose_name='gecorrigeerd op')),
                ('corrected_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reaction', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='earlier_versions', to='imv.reaction')),
                ('written_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'eerdere versie van een reactie',
                'verbose_name_plural': 'eerdere versies van reacties',
                'ordering': ['reaction', '-number'],
                'constraints': [models.UniqueConstraint(fields=('reaction', 'number'), name='reactionversion_number_unique')],
            },
        ),
    ]
