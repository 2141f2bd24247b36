"""The API's body parsers: DRF's, with the limits DRF leaves out.

- JSON nested deeper than MAX_JSON_DEPTH is a 400: no request of this API nests more
  than a few levels, and Python's parser raises RecursionError (a 500) past about a
  thousand.
- A multipart upload stopped by `claimtrack.uploads.CappedUploadHandler` is a 413 with
  the reason, not a request that seems to lack its file.

JSON and form bodies over DATA_UPLOAD_MAX_MEMORY_SIZE never reach a parser: DRF (from
3.17.2) reads them through Django's `request.body`, which refuses them, and
`claimtrack.rest_errors` answers that with a 413 too.
"""

from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

from claimtrack.uploads import upload_refusal

MAX_JSON_DEPTH = 32


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "The request body is too large."


def _depth(data) -> int:
    """How deeply lists and objects nest in `data` (without recursing)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:
                stack.extend((item, depth + 1) for item in value)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the data is nested too deeply.") from None
        if _depth(data) > MAX_JSON_DEPTH:
            raise ParseError(f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.")
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        refusal = upload_refusal(parser_context["request"]._request)
        if refusal:
            raise RequestTooLarge(refusal)
        return parsed
