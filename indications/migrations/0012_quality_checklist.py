"""The quality checklist's first questions (reference data; the functioneel beheerder edits them)."""

from django.db import migrations

QUESTIONS = [
    "Het onderzoek is volledig: alle leefgebieden en de ZRM zijn in beeld gebracht.",
    "Eigen kracht, het netwerk en algemene voorzieningen zijn onderzocht en gemotiveerd afgewogen.",
    "De resultaten zijn concreet en passen bij de hulpvraag.",
    "Het product (zwaarte) en de looptijd passen bij de situatie en zijn gemotiveerd.",
    "De beschikking is tijdig afgegeven (binnen twee weken na de aanvraag).",
    "De evaluatie is gepland en de afspraken zijn navolgbaar vastgelegd.",
]


def add_questions(apps, schema_editor):
    QualityQuestion = apps.get_model("indications", "QualityQuestion")
    for order, text in enumerate(QUESTIONS, start=1):
        QualityQuestion.objects.get_or_create(text=text, defaults={"order": order * 10})


def remove_questions(apps, schema_editor):
    apps.get_model("indications", "QualityQuestion").objects.filter(text__in=QUESTIONS, answers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("indications", "0011_quality_checks")]

    operations = [migrations.RunPython(add_questions, remove_questions)]
