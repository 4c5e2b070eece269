"""Linear separability of digit classes (favuzzi2019, sec. 4 and appendix B): multinomial
logistic regression (softmax regression, eq. 4) on pixels or codes, scored on held-out data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# scikit-learn is imported where it is used: importing it takes about 1.8 s on a 2-core CPU,
# a cost every chapter and command would pay at `import gae_lib` otherwise.
from ..checks import as_tensor, check_codes, check_labels


@dataclass
class LinearSeparability:
    balanced_accuracy: float
    precision: np.ndarray  # per class
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray
    confusion: np.ndarray  # rows: true class, columns: predicted
    classes: np.ndarray
    C: float  # inverse regularisation strength used


def _features(v, name: str) -> np.ndarray:
    """Images (N, C, H, W) flattened to pixels, or codes (N, D), as a float64 array."""
    v = as_tensor(v, name)
    v = check_codes(v.flatten(1) if v.dim() > 2 else v, name)
    return v.detach().cpu().double().numpy()


def _labels(y, n: int, name: str) -> np.ndarray:
    return check_labels(y, n, name).cpu().numpy()


def _softmax_regression(C: float, max_iter: int, seed: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(), LogisticRegression(C=C, max_iter=max_iter, random_state=seed)
    )


def choose_C(
    x: np.ndarray, y: np.ndarray, grid, max_iter: int, seed: int, validation: float = 0.2
) -> float:
    """The C of ``grid`` with the best balanced accuracy on a held-out share of the training
    data (every space gets its own, so none is handicapped by one fixed regularisation)."""
    from sklearn.metrics import balanced_accuracy_score

    order = np.random.default_rng(seed).permutation(len(x))
    cut = int(len(x) * (1 - validation))
    fit, val = order[:cut], order[cut:]
    scores = [
        balanced_accuracy_score(
            y[val], _softmax_regression(c, max_iter, seed).fit(x[fit], y[fit]).predict(x[val])
        )
        for c in grid
    ]
    return float(grid[int(np.argmax(scores))])


def linear_separability(
    train_x, train_y, test_x, test_y, *, max_iter: int = 1000, C=1.0, seed: int = 0
) -> LinearSeparability:
    """Fit softmax regression on (train_x, train_y) -- images are flattened to pixels,
    codes used as they are, both standardised -- and score it on (test_x, test_y).
    ``C``: the inverse regularisation strength, or a list of them to choose from on a
    validation split of the training data."""
    from sklearn.metrics import (balanced_accuracy_score, confusion_matrix,
                                 precision_recall_fscore_support)

    xtr, xte = _features(train_x, "train_x"), _features(test_x, "test_x")
    if xtr.shape[1] != xte.shape[1]:
        raise ValueError(
            f"test_x: expected {xtr.shape[1]} features like train_x, got {xte.shape[1]}"
        )
    ytr, yte = _labels(train_y, len(xtr), "train_y"), _labels(test_y, len(xte), "test_y")
    if len(np.unique(ytr)) < 2:
        raise ValueError("train_y: expected at least two classes")
    grid = [C] if np.isscalar(C) else list(C)
    if not grid or not all(np.isscalar(c) and c > 0 for c in grid):
        raise ValueError(f"C: expected a positive number or a list of them, got {C!r}")
    chosen = grid[0] if len(grid) == 1 else choose_C(xtr, ytr, grid, max_iter, seed)
    predicted = _softmax_regression(chosen, max_iter, seed).fit(xtr, ytr).predict(xte)
    classes = np.unique(np.concatenate([ytr, yte]))
    p, r, f, s = precision_recall_fscore_support(yte, predicted, labels=classes, zero_division=0)
    return LinearSeparability(
        balanced_accuracy_score(yte, predicted),
        p,
        r,
        f,
        s,
        confusion_matrix(yte, predicted, labels=classes),
        classes,
        float(chosen),
    )


def pca_2d(codes, fit_on=None) -> np.ndarray:
    """The first two principal components of ``codes`` (favuzzi2019 Figs. 18-20), fitted on
    ``fit_on`` when given (e.g. the training codes) and on ``codes`` otherwise."""
    x = _features(codes, "codes")
    basis = x if fit_on is None else _features(fit_on, "fit_on")
    if len(basis) < 2 or basis.shape[1] < 2:
        raise ValueError(
            f"expected at least two points with at least two features to fit a "
            f"2-D PCA, got shape {basis.shape}"
        )
    if not basis.std(0).max() > 0:
        raise ValueError("expected points that are not all identical to fit a PCA")
    if basis.shape[1] != x.shape[1]:
        raise ValueError(f"codes: expected {basis.shape[1]} features like fit_on, got {x.shape[1]}")
    from sklearn.decomposition import PCA

    return PCA(n_components=2).fit(basis).transform(x)


def cross_validated_separability(
    spaces: dict, labels, folds: int = 4, C=1.0, seed: int = 0
) -> dict[str, float]:
    """Balanced accuracy of softmax regression by k-fold cross-validation, the same folds
    for every space (``{name: features of the same images}``): for codes that exist for a
    few hundred images only, such as Algorithm 1's.  Classes with fewer than two images are
    left out; ``folds`` shrinks to the smallest class kept."""
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold

    y = _labels(labels, len(labels), "labels")
    counts = np.bincount(y)
    keep = counts[y] >= 2
    if keep.sum() < 4 or len(np.unique(y[keep])) < 2:
        raise ValueError("labels: expected at least two classes with two or more images each")
    k = int(min(folds, counts[counts >= 2].min()))
    splits = list(StratifiedKFold(k, shuffle=True, random_state=seed).split(y[keep], y[keep]))
    scores = {}
    for name, features in spaces.items():
        x = _features(features, name)
        if len(x) != len(y):
            raise ValueError(f"{name}: expected {len(y)} rows like labels, got {len(x)}")
        x, yk = x[keep], y[keep]
        predicted = np.empty_like(yk)
        for train, test in splits:
            model = _softmax_regression(C, 1000, seed).fit(x[train], yk[train])
            predicted[test] = model.predict(x[test])
        scores[name] = float(balanced_accuracy_score(yk, predicted))
    return scores
