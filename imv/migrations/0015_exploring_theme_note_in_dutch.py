"""The note on Zorg en Veiligheid (under exploration) in Dutch, as the IMV page shows it.

The themes CSV had it in English; cycles loaded from it keep that text until this runs. Only the
exact English note is replaced, so a note the adviser wrote stays as it is.
"""

from django.db import migrations

ENGLISH = "regional added value unclear; exploration led by the mayor of Alkmaar, outcome to RBOP on 15 June 2023"
DUTCH = (
    "regionale meerwaarde nog onduidelijk; verkenning onder leiding van de burgemeester van Alkmaar, "
    "uitkomst in het RBOP van 15 juni 2023"
)


def to_dutch(apps, schema_editor):
    apps.get_model("imv", "Theme").objects.filter(note=ENGLISH).update(note=DUTCH)


def to_english(apps, schema_editor):
    apps.get_model("imv", "Theme").objects.filter(note=DUTCH).update(note=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("imv", "0014_reaction_versions")]

    operations = [migrations.RunPython(to_dutch, to_english)]
