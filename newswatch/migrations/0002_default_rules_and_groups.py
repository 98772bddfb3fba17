"""Default keyword rules, and the news watch's permissions for Editors and Publishers."""

from django.db import migrations

RULES = [
    ("es", "brigada médica cubana"),
    ("es", "brigadas médicas cubanas"),
    ("es", "médicos cubanos"),
    ("es", "médicas cubanas"),
    ("es", "colaboradores cubanos de la salud"),
    ("es", "misión médica cubana"),
    ("es", "Henry Reeve"),
    ("es", "Más Médicos"),
    ("en", "Cuban doctors"),
    ("en", "Cuban medical brigade"),
    ("en", "Cuban medical mission"),
    ("en", "Cuban medical workers"),
    ("en", "Cuban health workers"),
    ("en", "Cuban nurses"),
    ("en", "Henry Reeve"),
    ("pt", "médicos cubanos"),
    ("pt", "brigada médica cubana"),
    ("pt", "Mais Médicos"),
    ("pt", "Henry Reeve"),
]
# Editors triage leads and manage feeds and rules; nobody but a superuser deletes.
MODELS = ["feed", "keywordrule", "lead"]


def seed(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    KeywordRule = apps.get_model("newswatch", "KeywordRule")
    for language, phrase in RULES:
        KeywordRule.objects.get_or_create(language=language, phrase=phrase)
    app_config = apps.get_app_config("newswatch")
    # The migration state's stub has no models_module; create_permissions needs one.
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if stub:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="newswatch",
        codename__in=[f"{a}_{m}" for m in MODELS for a in ("add", "change", "view")],
    )
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.add(*permissions)


def unseed(apps, schema_editor):
    apps.get_model("newswatch", "KeywordRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newswatch", "0001_initial"),
        ("timeline", "0006_publishers_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
