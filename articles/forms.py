from django import forms


class PasteArticleForm(forms.Form):
    """An article pasted by a journalist. The outlet is named; it becomes (or is found
    as) a publication source."""

    title = forms.CharField(max_length=500)
    outlet = forms.CharField(max_length=200, required=False, label="Outlet")
    author = forms.CharField(max_length=300, required=False)
    published_at = forms.DateTimeField(
        required=False,
        label="Published",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    url = forms.URLField(
        max_length=2000, required=False, label="URL (optional)", assume_scheme="https"
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}))
