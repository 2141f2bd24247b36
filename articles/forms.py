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


class UrlForm(forms.Form):
    """An article to fetch from the web."""

    url = forms.URLField(label="Article URL", max_length=2000, assume_scheme="https")

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http and https addresses can be fetched.")
        return url


PAGE_SUFFIXES = (".txt", ".text", ".html", ".htm")
BATCH_SUFFIXES = (".jsonl", ".ndjson", ".csv")
MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_BATCH_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    """One article as a text or HTML file, or a batch as JSON Lines or CSV."""

    file = forms.FileField(
        label="Article or batch file",
        help_text="A .txt or .html article (5 MB at most), or a .jsonl / .csv batch with "
        "the columns title, url, outlet, author, published, text (20 MB at most).",
    )

    def __init__(self, *args, refusal: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if refusal:  # the upload was stopped as it streamed in, so the file is missing
            self.fields["file"].error_messages["required"] = refusal

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if name.endswith(PAGE_SUFFIXES):
            limit = MAX_PAGE_BYTES
        elif name.endswith(BATCH_SUFFIXES):
            limit = MAX_BATCH_BYTES
        else:
            raise forms.ValidationError(
                "Upload a .txt or .html article, or a .jsonl or .csv batch."
            )
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {limit // (1024 * 1024)} MB.")
        return upload

    @property
    def is_batch(self) -> bool:
        return self.cleaned_data["file"].name.lower().endswith(BATCH_SUFFIXES)
