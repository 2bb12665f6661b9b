"""A zienswijze names the draft version it answers.

Opinions already stored answer their round's draft version (a round consults on exactly one).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("imv", "0010_woo_categories")]

    operations = [
        migrations.AddField(
            model_name="opinion",
            name="draft_version",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="opinions",
                to="imv.draftversion",
                verbose_name="conceptversie",
            ),
        ),
        migrations.RunSQL(
            "UPDATE imv_opinion o SET draft_version_id = r.draft_version_id "
            "FROM imv_participation p JOIN imv_consultationround r ON r.id = p.round_id "
            "WHERE o.participation_id = p.id AND o.draft_version_id IS NULL",
            migrations.RunSQL.noop,
        ),
    ]
