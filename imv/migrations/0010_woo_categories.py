"""The 17 Woo information categories (TOOI) in every database, not only in the demo.

A council decision must name its category, so a real deployment needs them from its first
migrate. The rows come from imv/reference_data/woo_informatiecategorieen_tooi.csv (see
PROVENANCE there); running this again updates them in place (keyed on the TOOI URI).
"""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "reference_data" / "woo_informatiecategorieen_tooi.csv"


def load(apps, schema_editor):
    WooCategory = apps.get_model("imv", "WooCategory")
    with CSV.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            WooCategory.objects.update_or_create(
                tooi_uri=row["tooi_uri"],
                defaults={"label": row["label"], "order": int(row["order"]), "article": row["woo_article"]},
            )


class Migration(migrations.Migration):
    dependencies = [("imv", "0009_deadlines_to_the_minute")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
