"""The Publishers group: everything Editors may do, plus publishing events."""

from django.db import migrations


def create_publishers(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("timeline")
    # The migration state's stub has no models_module; create_permissions needs one.
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if stub:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.get(name="Editors")
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.set(editors.permissions.all())
    publishers.permissions.add(
        Permission.objects.get(
            content_type__app_label="timeline", codename="publish_policyevent"
        )
    )


def remove_publishers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Publishers").delete()


class Migration(migrations.Migration):
    dependencies = [("timeline", "0005_announcements")]
    operations = [migrations.RunPython(create_publishers, remove_publishers)]
