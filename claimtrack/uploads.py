"""Uploads past CLAIMTRACK_MAX_UPLOAD_BYTES are refused while they stream in.

Django reads a multipart body part by part and hands each file's bytes, in 64 KB chunks,
to its upload handlers (memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then a temporary file).
`CappedUploadHandler` comes first: when the body's declared length is over the cap it
stops the upload as the first file begins, before a byte of it is kept anywhere. The form
fields before the file (the CSRF token) are read, so the page can answer with its form
and the reason; the API answers 413 (`claimtrack.parsers`).

The rest of a refused body is read and thrown away (64 KB at a time, never kept) when it
is at most DRAIN_FACTOR times the cap, because an HTTP client still sending its body
cannot read an answer on a connection closed under it; a bigger one is not read at all.
(Django's own draining reads line by line, and a body without line breaks is one line:
it would come into memory whole.) A reverse proxy in front should refuse such bodies
first (nginx: client_max_body_size).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

DRAIN_FACTOR = 4
CHUNK = 64 * 1024


def too_large_message(limit: int | None = None, what: str = "upload") -> str:
    limit = settings.CLAIMTRACK_MAX_UPLOAD_BYTES if limit is None else limit
    return f"The {what} is larger than {limit / (1024 * 1024):.3g} MB, the most accepted."


def upload_refusal(request) -> str | None:
    """Why the upload of `request` (a Django request) was refused, if it was."""
    return getattr(request, "upload_refused", None)


def drain(stream, declared: int) -> None:
    """Read the rest of a refused body and throw it away, when it is worth it (see above)."""
    if declared <= DRAIN_FACTOR * settings.CLAIMTRACK_MAX_UPLOAD_BYTES:
        while stream.read(CHUNK):
            pass


class CappedUploadHandler(FileUploadHandler):
    """Stops an upload whose body is larger than CLAIMTRACK_MAX_UPLOAD_BYTES before any
    of its files is read, and marks the request with the reason (`upload_refusal`)."""

    declared = 0
    body = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.body, self.declared = input_data, content_length or 0

    def new_file(self, *args, **kwargs):
        if self.declared > settings.CLAIMTRACK_MAX_UPLOAD_BYTES:
            self.request.upload_refused = too_large_message()
            drain(self.body, self.declared)
            raise StopUpload(connection_reset=True)  # Django reads no more of it
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # for the next handlers to keep

    def file_complete(self, file_size):
        return None  # the next handlers make the file
