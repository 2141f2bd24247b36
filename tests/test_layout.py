"""Dependencies point one way: the articles side never imports the claims side."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_articles_never_imports_claims():
    for path in (ROOT / "articles").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("claims"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("claims") for a in node.names), path
