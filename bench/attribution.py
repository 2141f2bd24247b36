"""Attribution and suggestion quality on news articles whose claims were marked by hand.

    .venv/bin/python bench/attribution.py                      # the project's own set
    .venv/bin/python bench/attribution.py --errors             # ... and every mismatch
    .venv/bin/python bench/attribution.py --gold my/gold.jsonl --texts my/articles/

Each article is read as the app reads it: `claims.engine.suggest.suggest_claims` gives the
suggestions (default threshold and limit), and an `Attributor` fed every sentence in order
(as suggest.py's loop does) gives each sentence's attribution, independently of the
threshold. Prints one JSON object: figures overall, per set and per pattern, and with
`--errors` the list of mismatches.

Gold format (`--gold`, JSON lines; the articles are UTF-8 `.txt` files in `--texts`):

    {"file": "court_ruling.txt", "quote_contains": "Judge Eline Vos wrote that",
     "claim": true, "pattern": "before", "speaker": ["Eline Vos", "Judge Eline Vos"],
     "speaker_kind": "person", "anonymous_count": null, "outlet": null, "verb": "wrote",
     "hedge": null, "set": "dev", "note": "optional free text"}

- file: the article's file name in --texts.
- quote_contains: a substring that occurs once in the article and picks out one sentence.
- claim: whether the sentence is a check-worthy claim that should be suggested (questions,
  asides, "declined to comment" are not); recall counts the claim lines only.
- pattern: a free label the figures are grouped by (before, after, around, according_to,
  outlet_citing, cross_sentence, pronoun, anaphor, told_outlet, hedge, unattributed,
  negative, ...).
- speaker: who made the statement, by the name the article gives (a list of names of the
  same speaker is allowed: any one matches); pronouns, "the company", "the people" are
  marked as the one they point to; a spokesperson speaks for the organisation; an
  anonymous group as written ("three people familiar with the matter"); null when the
  statement is the reporter's own.
- speaker_kind: person, organisation, publication or anonymous (as the engine names them).
- anonymous_count: the number an anonymous group states, else null.
- outlet: the publication that relays the statement (also the speaker's own name when a
  publication speaks for itself), else null.
- verb: the reporting verb as written, lower case ("said", "told", "according to"); a
  sentence that relays the one before ("The deal is said to ...") has the verb of that one.
- hedge: the first hedge of the sentence outside the attribution ("may", "could",
  "is said to", "reportedly", "is expected to", "plans to"), else null.
- set (optional): a group reported separately (here "dev": read while fixing the engine;
  "fresh": written after the fixes).

Comparison: names case-insensitive, spaces collapsed, typographic quotes made plain and
a leading "the" ignored; the other fields exactly (verb and hedge case-insensitive).
"""

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claims.engine.attribution import Attributor, find_hedge, fold
from claims.engine.suggest import article_sentences, default_scorer, suggest_claims

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = HERE / "data" / "attribution" / "gold.jsonl"
FIELDS = ("speaker", "speaker_kind", "anonymous_count", "outlet", "verb", "hedge")


def normalise(value) -> str | None:
    """A name or phrase in the form two spellings of it are compared in."""
    if value is None:
        return None
    text = " ".join(fold(str(value)).casefold().split())
    return text[4:] if text.startswith("the ") else text


def same(field: str, gold, got) -> bool:
    if field == "anonymous_count" or field == "speaker_kind":
        return gold == got
    choices = gold if isinstance(gold, list) else [gold]
    return normalise(got) in {normalise(c) for c in choices}


def read_gold(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            row["_line"] = n
            rows.append(row)
    return rows


def predictions(text: str) -> tuple[list, list, list]:
    """The article's sentences, each one's attribution fields, and its suggestions."""
    sentences = article_sentences(text)
    reader = Attributor()
    fields = []
    for span in sentences:
        a = reader.feed(span.text)
        got = {f: getattr(a, f) for f in FIELDS} if a else dict.fromkeys(FIELDS)
        if a is None:
            got["hedge"] = find_hedge(span.text)  # as a suggestion reports it
        got["phrase"] = a.phrase if a else None
        fields.append(got)
    return sentences, fields, suggest_claims(text)


def locate(text: str, sentences, quote: str):
    """The index of the one sentence holding `quote`, or an error message."""
    hay, needle = fold(text), fold(quote)
    at = hay.find(needle)
    if at < 0:
        return None, "quote not found in the article"
    if hay.find(needle, at + 1) >= 0:
        return None, "quote occurs more than once"
    for i, s in enumerate(sentences):
        if s.start <= at < s.end:
            if at + len(needle) > s.end:
                return None, "quote spans two sentences as the engine splits them"
            return i, None
    return None, "quote outside every sentence"


def evaluate(gold: list[dict], texts: Path) -> tuple[list[dict], list[str]]:
    """One result per gold line (the gold, what the engine gave, and which fields agree)."""
    by_file = defaultdict(list)
    for row in gold:
        by_file[row["file"]].append(row)
    results, problems = [], []
    for name, rows in sorted(by_file.items()):
        text = (texts / name).read_text(encoding="utf-8")
        sentences, fields, suggestions = predictions(text)
        for row in rows:
            i, problem = locate(text, sentences, row["quote_contains"])
            if problem:
                problems.append(f"{name}:{row['quote_contains']!r}: {problem}")
                continue
            span = sentences[i]
            got = fields[i]
            suggested = any(s.start <= span.start and span.end <= s.end for s in suggestions)
            ok = {f: same(f, row.get(f), got[f]) for f in FIELDS}
            results.append(
                {"gold": row, "sentence": span.text, "got": got, "suggested": suggested, "ok": ok}
            )
    return results, problems


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def figures(results: list[dict]) -> dict:
    claims = [r for r in results if r["gold"].get("claim")]
    others = [r for r in results if not r["gold"].get("claim")]
    attributed = [r for r in results if r["gold"].get("speaker") is not None]
    plain = [r for r in results if r["gold"].get("speaker") is None]
    out = {
        "lines": len(results),
        "claim_lines": len(claims),
        "suggestion_recall": _ratio(sum(r["suggested"] for r in claims), len(claims)),
        "non_claims_suggested": _ratio(sum(r["suggested"] for r in others), len(others)),
        "attributed_lines": len(attributed),
        "attribution_found": _ratio(
            sum(r["got"]["speaker"] is not None for r in attributed), len(attributed)
        ),
        "speaker_on_attributed": _ratio(
            sum(r["ok"]["speaker"] for r in attributed), len(attributed)
        ),
        "false_attribution": _ratio(
            sum(r["got"]["speaker"] is not None for r in plain), len(plain)
        ),
    }
    for f in FIELDS:
        out[f] = _ratio(sum(r["ok"][f] for r in results), len(results))
    out["all_fields"] = _ratio(sum(all(r["ok"].values()) for r in results), len(results))
    return out


def grouped(results: list[dict], key: str) -> dict:
    groups = defaultdict(list)
    for r in results:
        groups[r["gold"].get(key) or "-"].append(r)
    return {name: figures(rs) for name, rs in sorted(groups.items())}


def errors(results: list[dict]) -> list[dict]:
    out = []
    for r in results:
        g = r["gold"]
        wrong = {f: {"gold": g.get(f), "got": r["got"][f]} for f in FIELDS if not r["ok"][f]}
        missed = bool(g.get("claim")) and not r["suggested"]
        if wrong or missed:
            out.append(
                {
                    "file": g["file"],
                    "pattern": g.get("pattern"),
                    "sentence": r["sentence"],
                    "phrase": r["got"]["phrase"],
                    "not_suggested": missed,
                    "wrong": wrong,
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSON lines")
    parser.add_argument(
        "--texts", type=Path, help="the articles' directory (default: the gold file's own)"
    )
    parser.add_argument("--errors", action="store_true", help="also list every mismatch")
    args = parser.parse_args(argv)
    gold = read_gold(args.gold)
    results, problems = evaluate(gold, args.texts or args.gold.parent)
    report = {
        "articles": len({r["gold"]["file"] for r in results}),
        "scorer": default_scorer()[1],
        "overall": figures(results),
        "per_set": grouped(results, "set"),
        "per_pattern": grouped(results, "pattern"),
        "unmatched_gold_lines": problems,
    }
    if args.errors:
        report["errors"] = errors(results)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
