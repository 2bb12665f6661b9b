"""Deadlines end with the minute they name, and an opinion keeps the deadline it was submitted against.

Every stored deadline becomes the end of its minute (23:59:59 → 23:59:59.999999), the one form
imv.clock.deadline_end gives new ones. Opinions get the deadline that applied when they were
submitted; for those already stored, the participation's current deadline is the best record.
"""

from django.db import migrations, models

END_OF_MINUTE = "date_trunc('minute', {col}) + interval '59.999999 seconds'"


def _normalise(table: str, *columns: str) -> migrations.RunSQL:
    sets = ", ".join(f"{c} = {END_OF_MINUTE.format(col=c)}" for c in columns)
    return migrations.RunSQL(f"UPDATE {table} SET {sets}", migrations.RunSQL.noop)


class Migration(migrations.Migration):
    dependencies = [("imv", "0008_opinion_one_current_per_participation")]

    operations = [
        migrations.AddField(
            model_name="opinion",
            name="deadline",
            field=models.DateTimeField(blank=True, null=True, verbose_name="uiterste datum bij indienen"),
        ),
        _normalise("imv_consultationround", "deadline"),
        _normalise("imv_participation", "deadline"),
        _normalise("imv_extensionrequest", "requested_deadline", "granted_deadline"),
        migrations.RunSQL(
            "UPDATE imv_opinion o SET deadline = p.deadline FROM imv_participation p WHERE o.participation_id = p.id",
            migrations.RunSQL.noop,
        ),
    ]
