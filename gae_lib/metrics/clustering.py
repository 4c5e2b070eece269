"""Unsupervised clustering accuracy (makhzani2016, AAE sec. on clustering): the best one-to-one
matching of clusters to classes (Hungarian algorithm), then plain accuracy."""
from __future__ import annotations

import numpy as np

from ..checks import check_labels


def clustering_accuracy(clusters, labels) -> float:
    """Share of points whose cluster maps to their class under the best matching; with more
    clusters than classes, unmatched clusters count as errors."""
    labels = check_labels(labels, len(labels), "labels").cpu().numpy()
    clusters = check_labels(clusters, len(labels), "clusters").cpu().numpy()
    if len(labels) == 0:
        raise ValueError("labels: expected at least one point")
    _, c = np.unique(clusters, return_inverse=True)
    _, y = np.unique(labels, return_inverse=True)
    counts = np.zeros((c.max() + 1, y.max() + 1), dtype=np.int64)
    np.add.at(counts, (c, y), 1)
    from scipy.optimize import linear_sum_assignment   # imported here: 0.4 s at import time

    rows, cols = linear_sum_assignment(counts, maximize=True)
    return float(counts[rows, cols].sum() / len(labels))
