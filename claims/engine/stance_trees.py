"""Gradient-boosted trees as flat arrays, evaluated with numpy alone.

Training uses scikit-learn's HistGradientBoostingClassifier (train_stance only); `export`
turns its fitted trees into a few arrays that go into the stance artifact, and `raw_scores`
reproduces the classifier's decision function from them. Each node holds the feature it
tests, a real-valued threshold (go left when x <= threshold; a missing value goes the way
the node says), its two children as indices into the flat arrays and, for leaves, the
value to add. Leaves point to themselves with an infinite threshold, so every tree can be
walked a fixed number of steps (the deepest tree's depth) in one vectorised loop.
"""

import numpy as np

ARRAYS = ("feature", "threshold", "left", "right", "missing_left", "value", "root", "klass")


def export(clf) -> dict[str, np.ndarray]:
    """Flat arrays of a fitted HistGradientBoostingClassifier on numeric features.

    `klass` gives, for each tree, which raw score it adds to (0 for a binary model);
    `baseline` the starting raw scores; `depth` the number of steps needed."""
    feature, threshold, left, right, missing_left, value, root, klass = ([] for _ in range(8))
    depth = 0
    offset = 0
    for iteration in clf._predictors:
        for k, predictor in enumerate(iteration):
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            n = len(nodes)
            leaf = nodes["is_leaf"].astype(bool)
            own = np.arange(n) + offset
            feature.append(np.where(leaf, 0, nodes["feature_idx"]))
            threshold.append(np.where(leaf, np.inf, nodes["num_threshold"]))
            left.append(np.where(leaf, own, nodes["left"].astype(np.int64) + offset))
            right.append(np.where(leaf, own, nodes["right"].astype(np.int64) + offset))
            missing_left.append(np.where(leaf, True, nodes["missing_go_to_left"].astype(bool)))
            value.append(np.where(leaf, nodes["value"], 0.0))
            root.append(offset)
            klass.append(k)
            depth = max(depth, int(nodes["depth"].max()))
            offset += n
    return {
        "feature": np.concatenate(feature).astype(np.int32),
        "threshold": np.concatenate(threshold).astype(np.float64),
        "left": np.concatenate(left).astype(np.int32),
        "right": np.concatenate(right).astype(np.int32),
        "missing_left": np.concatenate(missing_left).astype(bool),
        "value": np.concatenate(value).astype(np.float64),
        "root": np.array(root, dtype=np.int32),
        "klass": np.array(klass, dtype=np.int32),
        "baseline": np.asarray(clf._baseline_prediction, dtype=np.float64).ravel(),
        "depth": np.array([depth], dtype=np.int32),
    }


def raw_scores(trees: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Decision function for rows `x` (n, d) or one row (d,): (n, k) or (k,) raw scores,
    k = len(baseline) (one logit for a binary model)."""
    x = np.asarray(x, dtype=np.float64)
    k = len(trees["baseline"])
    if x.ndim == 1:  # one row: plain indexing, the common case at inference
        node = trees["root"]
        for _ in range(int(trees["depth"][0])):
            v = x[trees["feature"][node]]
            go_left = (v <= trees["threshold"][node]) | (np.isnan(v) & trees["missing_left"][node])
            node = np.where(go_left, trees["left"][node], trees["right"][node])
        summed = np.bincount(trees["klass"], weights=trees["value"][node], minlength=k)
        return summed + trees["baseline"]
    rows = np.arange(len(x))[:, None]
    node = np.broadcast_to(trees["root"], (len(x), len(trees["root"])))
    for _ in range(int(trees["depth"][0])):
        v = x[rows, trees["feature"][node]]
        go_left = (v <= trees["threshold"][node]) | (np.isnan(v) & trees["missing_left"][node])
        node = np.where(go_left, trees["left"][node], trees["right"][node])
    leaf_values = trees["value"][node]  # (n, trees)
    out = np.zeros((len(x), k))
    for c in range(k):
        out[:, c] = leaf_values[:, trees["klass"] == c].sum(axis=1)
    return out + trees["baseline"]


def log_probs(trees: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Log-probabilities (n, classes); a binary model's logit z becomes [0, z] first."""
    z = np.atleast_2d(raw_scores(trees, x))
    if z.shape[1] == 1:
        z = np.concatenate([np.zeros_like(z), z], axis=1)
    z = z - z.max(axis=1, keepdims=True)
    out = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return out[0] if np.ndim(x) == 1 else out
