"""FNC-1 files and figures: reading and writing the challenge's CSV format, mapping its
stance names to ClaimTrack's, and the challenge's score with the usual companions.

Stances file: ``Headline,Body ID[,Stance]``. Bodies file: ``Body ID,articleBody``.
"""

import csv
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")
CLAIMTRACK_LABELS = ("supports", "refutes", "discusses", "unrelated")
TO_CLAIMTRACK = dict(zip(FNC_LABELS, CLAIMTRACK_LABELS, strict=True))
TO_FNC = dict(zip(CLAIMTRACK_LABELS, FNC_LABELS, strict=True))
RELATED = frozenset(FNC_LABELS[:3])

csv.field_size_limit(10_000_000)  # article bodies can be long


@dataclass(frozen=True, slots=True)
class Pair:
    headline: str
    body_id: int
    stance: str | None = None  # FNC name, or None when the file has no gold stance


def read_stances(path: str | Path) -> list[Pair]:
    pairs = []
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            stance = (row.get("Stance") or "").strip().lower() or None
            if stance is not None and stance not in FNC_LABELS:
                stance = TO_FNC.get(stance)
                if stance is None:
                    raise ValueError(f"unknown stance {row.get('Stance')!r} in {path}")
            pairs.append(Pair(row["Headline"], int(row["Body ID"]), stance))
    return pairs


def read_bodies(path: str | Path) -> dict[int, str]:
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        return {int(row["Body ID"]): row["articleBody"] for row in csv.DictReader(handle)}


def write_stances(path: str | Path, pairs: Iterable[Pair]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        for pair in pairs:
            writer.writerow([pair.headline, pair.body_id, pair.stance or ""])


def write_bodies(path: str | Path, bodies: dict[int, str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Body ID", "articleBody"])
        for body_id, text in bodies.items():
            writer.writerow([body_id, text])


def read_ids(path: str | Path) -> set[int]:
    return {int(line) for line in Path(path).read_text().split() if line.strip()}


def split_bodies(
    data_dir: str | Path, body_ids: Iterable[int], hold_out: float = 0.2, seed: int = 1
) -> tuple[set[int], set[int]]:
    """Training and hold-out body ids: the folder's ``splits/`` files when present,
    otherwise a seeded random share of the bodies held out."""
    splits = Path(data_dir) / "splits"
    train_file, hold_file = splits / "training_ids.txt", splits / "hold_out_ids.txt"
    if train_file.exists() and hold_file.exists():
        return read_ids(train_file), read_ids(hold_file)
    ids = sorted(set(body_ids))
    random.Random(seed).shuffle(ids)  # noqa: S311 (a seeded split, not a secret)
    n_hold = max(1, round(len(ids) * hold_out)) if len(ids) > 1 else 0
    return set(ids[n_hold:]), set(ids[:n_hold])


# --- figures -------------------------------------------------------------------------


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """The challenge's weighted score and the best score possible for this gold."""
    score = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        best += 0.25 if g == "unrelated" else 1.0
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.75
        elif g in RELATED and p in RELATED:
            score += 0.25
    return score, best


def relative_fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """FNC score as a percentage of the maximum possible."""
    score, best = fnc_score(gold, predicted)
    return 100.0 * score / best if best else 0.0


def confusion(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = FNC_LABELS
) -> list[list[int]]:
    """Counts, rows = gold, columns = predicted."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def per_class_f1(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = FNC_LABELS
) -> dict[str, float]:
    matrix = confusion(gold, predicted, labels)
    out = {}
    for i, label in enumerate(labels):
        tp = matrix[i][i]
        n_pred = sum(row[i] for row in matrix)
        n_gold = sum(matrix[i])
        out[label] = 2.0 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
    return out


def macro_f1(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = FNC_LABELS
) -> float:
    scores = per_class_f1(gold, predicted, labels)
    return sum(scores.values()) / len(scores)


def confusion_table(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = FNC_LABELS
) -> str:
    matrix = confusion(gold, predicted, labels)
    width = max(9, *(len(label) for label in labels)) + 1
    lines = ["gold \\ pred".ljust(width + 2) + "".join(lab.rjust(width) for lab in labels)]
    for label, row in zip(labels, matrix, strict=True):
        lines.append(label.ljust(width + 2) + "".join(str(n).rjust(width) for n in row))
    return "\n".join(lines)


def report(gold: Sequence[str], predicted: Sequence[str]) -> str:
    """The figures as printable text."""
    f1 = per_class_f1(gold, predicted)
    lines = [
        f"FNC score: {relative_fnc_score(gold, predicted):.2f}%",
        f"macro-F1:  {sum(f1.values()) / len(f1):.4f}",
        "per-class F1: " + ", ".join(f"{k} {v:.4f}" for k, v in f1.items()),
        confusion_table(gold, predicted),
    ]
    return "\n".join(lines)
