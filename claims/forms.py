from django import forms
from django.urls import reverse_lazy

from articles.models import SourceKind
from claims.models import ClaimKind, Evidence, ReviewState, Stance, Status

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


def _autocomplete(datalist: str, *, kind: str) -> dict:
    """A text input whose <datalist> htmx fills with matching sources as one types."""
    return {
        "list": datalist,
        "autocomplete": "off",
        "hx-get": reverse_lazy("articles:source-options"),
        "hx-vals": f'{{"kind": "{kind}"}}',
        "hx-trigger": "input changed delay:250ms, focus once",
        "hx-target": f"#{datalist}",
    }


class LogClaimForm(forms.Form):
    """A passage of an article logged as a claim: the quote and its offsets (kept as the
    journalist selected them), the claim in canonical words, and who said it, where."""

    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quote = forms.CharField(strip=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Claim in canonical words",
        required=False,
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                # htmx refreshes the similar-claims panel as the wording changes.
                "hx-get": reverse_lazy("claims:similar"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#similar-claims",
            }
        ),
        help_text="Self-contained: name who and what, without the attribution.",
    )
    kind = forms.ChoiceField(choices=ClaimKind.choices, initial=ClaimKind.FACT)
    tags = forms.CharField(required=False, max_length=300, help_text="Comma-separated.")
    resolves_by = forms.DateField(
        label="Resolves by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For a prediction: when it can be judged.",
    )
    speaker = forms.CharField(
        required=False,
        max_length=200,
        help_text="Pick a known source or type a new name.",
        widget=forms.TextInput(attrs=_autocomplete("speaker-options", kind="")),
    )
    speaker_kind = forms.ChoiceField(
        label="Speaker is",
        choices=[(k, label) for k, label in SourceKind.choices if k != SourceKind.PUBLICATION],
        initial=SourceKind.PERSON,
        help_text="Used when the speaker is new.",
    )
    outlet = forms.CharField(
        label="Reporting outlet",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=_autocomplete("outlet-options", kind="publication")),
    )
    attribution = forms.CharField(
        label="Attribution phrase",
        required=False,
        max_length=300,  # the column's size
        help_text='e.g. "said on Tuesday"',
    )
    anonymous_count = forms.IntegerField(
        label="Anonymous sources",
        required=False,
        min_value=1,
        max_value=1000,
        help_text='How many, for "three people familiar with the project".',
    )
    attach_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    suggestion = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        wording_refused = "text" in self.errors  # too long, say: that reason is enough
        if data.get("attach_to") is None and not wording_refused and not data.get("text"):
            self.add_error(
                "text", "Give the claim in canonical words, or attach the quote to a similar claim."
            )
        if data.get("resolves_by") and data.get("kind") != ClaimKind.PREDICTION:
            self.add_error("resolves_by", "Only a prediction has a resolves-by date.")
        return data

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class MergeForm(forms.Form):
    """An editor merges a duplicate into the claim on screen."""

    duplicate = forms.IntegerField(label="Duplicate claim number", min_value=1)
    note = forms.CharField(
        label="Why they are the same claim",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkReviewForm(forms.Form):
    """An editor's one decision on several pending evidence items."""

    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.pending_review(),
        error_messages={
            "required": "Select the evidence to review first.",
            "invalid_choice": "Some selected evidence is no longer pending; reload the queue.",
        },
    )
    decision = forms.ChoiceField(
        choices=[(ReviewState.ACCEPTED, "Accept"), (ReviewState.REJECTED, "Reject")]
    )
    note = forms.CharField(required=False, max_length=2000)
