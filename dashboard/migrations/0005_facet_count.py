# The timeline's stored facet counts become every unfiltered list's: the missions
# list and the home page store theirs too, told apart by `page`.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0004_stored_page_counts"),
    ]

    operations = [
        migrations.RenameModel(old_name="EventFacet", new_name="FacetCount"),
        migrations.AddField(
            model_name="facetcount",
            name="page",
            field=models.CharField(
                choices=[
                    ("events", "published events (the timeline)"),
                    ("missions", "missions (the missions list and the home page)"),
                ],
                default="events",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="facetcount",
            options={"ordering": ["page", "name", "value"]},
        ),
        migrations.AddIndex(
            model_name="facetcount",
            index=models.Index(
                fields=["page", "name"], name="dashboard_f_page_50daba_idx"
            ),
        ),
    ]
