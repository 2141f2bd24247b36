"""CheckThat!-style retrieval files and metrics: claims as JSON lines, queries and qrels
as TSV, TREC runs, and MAP@k / MRR."""

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    text: str
    extra: str  # title and subtitle, when present


def read_claims(path: str | Path) -> list[ClaimRecord]:
    """Claims from JSON lines with `vclaim_id` or `id`, and `vclaim` or `text`; `title`
    and `subtitle` become the claim's context when present."""
    out = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            claim_id = row.get("vclaim_id", row.get("id"))
            text = row.get("vclaim", row.get("text"))
            if claim_id is None or text is None:
                raise ValueError(f"{path}:{number}: needs vclaim_id/id and vclaim/text")
            extra = " ".join(str(row[k]) for k in ("title", "subtitle") if row.get(k))
            out.append(ClaimRecord(str(claim_id), str(text), extra))
    return out


def _tsv_rows(path: str | Path) -> Iterable[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and any(cell.strip() for cell in row):
                yield row


def read_queries(path: str | Path) -> dict[str, str]:
    """id -> text from `id<TAB>text` lines; a header line (e.g. `tweet_id<TAB>tweet_text`)
    is skipped."""
    out: dict[str, str] = {}
    for i, row in enumerate(_tsv_rows(path)):
        if len(row) < 2:
            continue
        if i == 0 and row[0].strip().lower() in {"id", "tweet_id", "iclaim_id", "query_id"}:
            continue
        out[row[0].strip()] = "\t".join(row[1:]).strip()
    return out


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    """query -> relevant claim ids from TREC qrels (`query 0 claim relevance`)."""
    out: dict[str, set[str]] = {}
    for row in _tsv_rows(path):
        parts = row if len(row) >= 4 else row[0].split()
        if len(parts) < 4 or not parts[3].strip().lstrip("-").isdigit():
            continue  # header or malformed
        if int(parts[3]) > 0:
            out.setdefault(parts[0].strip(), set()).add(parts[2].strip())
    return out


def write_run(path: str | Path, run: dict[str, list[tuple[str, float]]], tag: str) -> None:
    """A TREC run: `query Q0 claim rank score tag`, ranks from 1."""
    with open(path, "w", encoding="utf-8") as handle:
        for query, ranked in run.items():
            for rank, (claim, score) in enumerate(ranked, 1):
                handle.write(f"{query}\tQ0\t{claim}\t{rank}\t{score:.6f}\t{tag}\n")


def average_precision(ranked: list[str], relevant: set[str], k: int | None = None) -> float:
    """AP over the first k results, normalised by min(k, |relevant|) as CheckThat! does."""
    if not relevant:
        return 0.0
    cut = ranked if k is None else ranked[:k]
    hits, total = 0, 0.0
    for i, claim in enumerate(cut, 1):
        if claim in relevant:
            hits += 1
            total += hits / i
    denominator = len(relevant) if k is None else min(k, len(relevant))
    return total / denominator


def reciprocal_rank(ranked: list[str], relevant: set[str]) -> float:
    for i, claim in enumerate(ranked, 1):
        if claim in relevant:
            return 1.0 / i
    return 0.0


def evaluate(run: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict[str, float]:
    """MAP@1, MAP@5 and MRR over the queries in `qrels` (a query missing from the run
    counts as 0)."""
    if not qrels:
        return {"MAP@1": 0.0, "MAP@5": 0.0, "MRR": 0.0, "queries": 0}
    n = len(qrels)
    return {
        "MAP@1": sum(average_precision(run.get(q, []), r, 1) for q, r in qrels.items()) / n,
        "MAP@5": sum(average_precision(run.get(q, []), r, 5) for q, r in qrels.items()) / n,
        "MRR": sum(reciprocal_rank(run.get(q, []), r) for q, r in qrels.items()) / n,
        "queries": n,
    }
