# Item titles (issue #15) and translated library texts. Existing items get an empty title until
# the next `load_library`, which writes the titles from the library files.

from django.db import migrations, models


def translations_field():
    return models.JSONField(
        blank=True,
        default=dict,
        help_text="Translated texts by language (docs/library-format.md); the English fields are the source.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_library_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="checklistitem",
            name="title",
            field=models.CharField(default="", max_length=80),
            preserve_default=False,
        ),
        migrations.AddField(model_name="checklistitem", name="translations", field=translations_field()),
        migrations.AddField(model_name="instrument", name="translations", field=translations_field()),
        migrations.AddField(model_name="principle", name="translations", field=translations_field()),
        migrations.AddField(model_name="theme", name="translations", field=translations_field()),
    ]
