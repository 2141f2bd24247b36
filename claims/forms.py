from django import forms

from claims.models import ReviewState, Stance, Status

_CORRECTIONS = [("", "as proposed"), *Stance.choices, ("unrelated", "Unrelated")]


class ReviewForm(forms.Form):
    """An editor's decision on one evidence item."""

    decision = forms.ChoiceField(
        choices=[(ReviewState.ACCEPTED, "Accept"), (ReviewState.REJECTED, "Reject")]
    )
    note = forms.CharField(required=False, max_length=2000)
    corrected_stance = forms.ChoiceField(choices=_CORRECTIONS, required=False)


class SetStatusForm(forms.Form):
    """An editor's verdict: the new status, the status the editor saw, and why."""

    status = forms.ChoiceField(choices=Status.choices)
    expected = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
