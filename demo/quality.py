"""The demo's quality checks: the team lead's sample of the last two quarters, drawn and answered
through the services, so that the open checks list and the findings per consultant show something."""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from indications import quality
from indications.models import QualityAnswer, QualityCheck

from .figures import TEAM_LEAD

PER_CONSULTANT = 3
LEFT_OPEN = 4  # checks the team lead has not done yet (at most a third of them)
FAILS = 0.15  # the share of "voldoet niet" answers, around which each consultant varies


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def ensure_quality_checks(*, today: date, seed: int) -> int:
    """Draw one sample (beschikkingen decided in the two quarters before today's) and complete all
    but a few of its checks. Idempotent: nothing happens when checks exist. Returns the number
    of checks drawn."""
    if QualityCheck.objects.exists():
        return 0
    lead = get_user_model().objects.get(username=TEAM_LEAD)
    end = _quarter_start(today)
    months = end.year * 12 + end.month - 1 - 6
    start = date(months // 12, months % 12 + 1, 1)
    try:
        sample = quality.draw_sample(
            by=lead,
            period_start=start,
            period_end=date.fromordinal(end.toordinal() - 1),
            per_consultant=PER_CONSULTANT,
            seed=f"demo-{seed}",
            today=today,
        )
    except ValidationError:  # no beschikkingen in those quarters (a very small demo)
        return 0
    rng = random.Random(f"demo-quality-{seed}")
    questions = list(quality.active_questions())
    checks = list(sample.checks.order_by("id"))
    for check in checks[min(LEFT_OPEN, len(checks) // 3) :]:
        fails = FAILS * (0.5 + (check.consultant_id % 3) * 0.5)  # some consultants do better than others
        answers = {}
        for question in questions:
            draw = rng.random()
            if draw < fails:
                answers[question.pk] = quality.AnswerInput(
                    QualityAnswer.Verdict.FAILS, rng.choice(["Onvoldoende gemotiveerd.", "Niet vastgelegd."])
                )
            elif draw < fails + 0.05:
                answers[question.pk] = quality.AnswerInput(QualityAnswer.Verdict.NOT_APPLICABLE)
            else:
                answers[question.pk] = quality.AnswerInput(QualityAnswer.Verdict.MEETS)
        quality.record_answers(
            check, by=lead, answers=answers, conclusion="Besproken in het werkoverleg.", complete=True
        )
    return len(checks)
