"""Forms of the quality-check pages. They check shape only; indications.quality checks the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .models import QualityAnswer
from .quality import MAX_PER_CONSULTANT, AnswerInput


class DrawSampleForm(forms.Form):
    period_start = forms.DateField(label=_("Besluitdatum vanaf"), widget=DateInput())
    period_end = forms.DateField(label=_("Besluitdatum tot en met"), widget=DateInput())
    per_consultant = forms.IntegerField(
        label=_("Aantal beschikkingen per consulent"), min_value=1, max_value=MAX_PER_CONSULTANT, initial=3
    )
    seed = forms.CharField(
        label=_("Startwaarde (seed)"),
        required=False,
        max_length=64,
        help_text=_("Leeg: het systeem kiest er een. Met dezelfde startwaarde is de trekking te herhalen."),
    )


class QualityCheckForm(forms.Form):
    """One verdict and note per active checklist question, and a conclusion."""

    def __init__(self, *args, questions, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        existing = {answer.question_id: answer for answer in check.answers.all()}
        for question in self.questions:
            answer = existing.get(question.pk)
            self.fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                help_text=question.guidance,
                choices=QualityAnswer.Verdict.choices,
                widget=forms.RadioSelect,
                initial=answer.verdict if answer else None,
                error_messages={"required": _("Beantwoord deze vraag: voldoet, voldoet niet of n.v.t.")},
            )
            self.fields[f"note_{question.pk}"] = forms.CharField(
                label=_("Toelichting (verplicht bij voldoet niet)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=answer.note if answer else "",
            )
        self.fields["conclusion"] = forms.CharField(
            label=_("Conclusie en terugkoppeling aan de consulent"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            initial=check.conclusion,
        )

    def rows(self):
        return [(question, self[f"question_{question.pk}"], self[f"note_{question.pk}"]) for question in self.questions]

    def answers(self) -> dict[int, AnswerInput]:
        data = self.cleaned_data
        return {
            question.pk: AnswerInput(verdict=data[f"question_{question.pk}"], note=data.get(f"note_{question.pk}", ""))
            for question in self.questions
            if data.get(f"question_{question.pk}")
        }
