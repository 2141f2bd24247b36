"""Hostile request bodies for the bad-input tests: a multipart upload of any size made
as it is read (so a 50 MB upload costs the test no memory), which counts what the server
reads of it; compressed bombs, made a megabyte at a time."""

import gzip
import io
import zipfile

BOUNDARY = "claimtrack-hostile-boundary"
MB = 1024 * 1024


class StreamedBody:
    """`head`, then `size` bytes of `fill`, then `tail`, generated as they are read.
    Records how much was read, in how many reads, and the largest single read."""

    def __init__(self, head: bytes, size: int, tail: bytes, fill: bytes = b"a"):
        self.head, self.size, self.tail, self.fill = head, size, tail, fill
        self.length = len(head) + size + len(tail)
        self.position = 0
        self.largest_read = 0

    def _bytes(self, start: int, end: int) -> bytes:
        parts = []
        body_start, body_end = len(self.head), len(self.head) + self.size
        if start < body_start:
            parts.append(self.head[start : min(end, body_start)])
        if end > body_start and start < body_end:
            count = min(end, body_end) - max(start, body_start)
            parts.append((self.fill * (count // len(self.fill) + 1))[:count])
        if end > body_end:
            parts.append(self.tail[max(0, start - body_end) : end - body_end])
        return b"".join(parts)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.length - self.position
        end = min(self.length, self.position + size)
        data = self._bytes(self.position, end)
        self.position = end
        self.largest_read = max(self.largest_read, len(data))
        return data

    def readline(self, size: int = -1) -> bytes:
        # A line ends at a line break; the generated part has none, so this is what a
        # naive reader would hold in memory at once.
        limit = self.length - self.position if size is None or size < 0 else size
        data = self._bytes(self.position, min(self.length, self.position + limit))
        cut = data.find(b"\n")
        line = data if cut < 0 else data[: cut + 1]
        self.position += len(line)
        self.largest_read = max(self.largest_read, len(line))
        return line


def multipart_upload(
    *, filename: str, size: int, fields: dict[str, str] | None = None
) -> StreamedBody:
    """A multipart/form-data body: `fields` first (as a browser sends the CSRF token
    before the file), then the file `filename` of `size` bytes."""
    head = b""
    for name, value in (fields or {}).items():
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    head += (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return StreamedBody(head, size, f"\r\n--{BOUNDARY}--\r\n".encode())


def post_streamed(client, path: str, body: StreamedBody, content_type: str, **headers):
    """POST `body` to `path` over HTTPS with the test client, streamed: the server reads
    it from a file-like object as it would from a socket."""
    return client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(body.length),
        SERVER_PORT="443",
        **{"wsgi.input": body, "wsgi.url_scheme": "https"},
        **headers,
    )


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def gzip_bomb(megabytes: int = 100) -> bytes:
    """`megabytes` MB of zeros, gzipped (about 1 KB per MB)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb") as packed:
        for _ in range(megabytes):
            packed.write(bytes(MB))
    return out.getvalue()


def zip_bomb(megabytes: int = 100) -> bytes:
    """A zip holding one file of `megabytes` MB of zeros."""
    out = io.BytesIO()
    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    with archive, archive.open("article.txt", "w") as member:
        for _ in range(megabytes):
            member.write(bytes(MB))
    return out.getvalue()
