from django import forms

from claims.models import ReviewState, Stance

_CORRECTIONS = [("", "as proposed"), *Stance.choices, ("unrelated", "Unrelated")]


class ReviewForm(forms.Form):
    """An editor's decision on one evidence item."""

    decision = forms.ChoiceField(
        choices=[(ReviewState.ACCEPTED, "Accept"), (ReviewState.REJECTED, "Reject")]
    )
    note = forms.CharField(required=False, max_length=2000)
    corrected_stance = forms.ChoiceField(choices=_CORRECTIONS, required=False)
