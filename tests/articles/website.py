"""A tiny web site on 127.0.0.1 for ingestion tests: a dict of path -> answer that a
test can change between requests; every request is recorded."""

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "pages"


@dataclass
class Answer:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: tuple = ()


class Website:
    def __init__(self):
        self.routes: dict[str, Answer] = {}
        self.requests: list[tuple[str, dict]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.requests.append((self.path, dict(self.headers)))
                answer = site.routes.get(self.path, Answer(b"missing", "text/plain", 404))
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, path: str, body: bytes | str, **answer) -> str:
        self.routes[path] = Answer(body.encode() if isinstance(body, str) else body, **answer)
        return self.base + path

    def serve_page(self, path: str, name: str, **answer) -> str:
        return self.serve(path, (PAGES / name).read_bytes(), **answer)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
