"""The Editors group: add, change and view the editorial models; never delete them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = {
    "missions": ["mission", "staffingreport", "source", "reportedtotal"],
    "timeline": ["policyevent"],
}
HISTORY = {
    "missions": ["historicalmission", "historicalstaffingreport", "historicalsource"],
    "timeline": ["historicalpolicyevent"],
}


def create_editors(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_label in ("countries", "missions", "timeline"):
        app_config = apps.get_app_config(app_label)
        # The migration state's stub has no models_module; create_permissions needs one.
        stub = getattr(app_config, "models_module", None) is None
        if stub:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if stub:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    codenames = [
        (app, f"{action}_{model}")
        for app, models in EDITABLE.items()
        for model in models
        for action in ("add", "change", "view")
    ]
    codenames += [(app, f"view_{m}") for app, models in HISTORY.items() for m in models]
    codenames.append(("countries", "view_country"))
    for app, codename in codenames:
        editors.permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0001_initial"),
        ("missions", "0002_report_not_in_future"),
        ("countries", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_editors, remove_editors)]
