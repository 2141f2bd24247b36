"""Reading a trained model's artifact: `<base>.json` (settings, vocabulary, figures) beside
`<base>.npz` (weights), never a pickle, so loading a model cannot run code."""

import json
from pathlib import Path

import numpy as np


def read_artifact(base: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The metadata and arrays stored at `base` (with or without `.json`/`.npz`)."""
    base = Path(base)
    if base.suffix in {".npz", ".json"}:
        base = base.with_suffix("")
    meta = json.loads(Path(f"{base}.json").read_text(encoding="utf-8"))
    with np.load(f"{base}.npz", allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    return meta, arrays
