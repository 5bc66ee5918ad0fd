from django.db import migrations, models


def fill_fold_key(apps, schema_editor):
    from nghiquyet.orgs.models import fold_unit_name

    OrgUnit = apps.get_model("orgs", "OrgUnit")
    batch = []
    for unit in OrgUnit.objects.only("id", "name", "short_name", "code").iterator(chunk_size=2000):
        unit.fold_key = fold_unit_name(unit.name, unit.short_name, unit.code)
        batch.append(unit)
        if len(batch) >= 2000:
            OrgUnit.objects.bulk_update(batch, ["fold_key"])
            batch = []
    if batch:
        OrgUnit.objects.bulk_update(batch, ["fold_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="orgunit",
            name="fold_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill_fold_key, migrations.RunPython.noop),
    ]
