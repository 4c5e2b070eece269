"""Unsupervised clustering accuracy (makhzani2016, sec. 6).

With as many clusters as classes: the best one-to-one matching of clusters to classes
(Hungarian algorithm).  With more clusters than classes (the paper's 16 and 30) one-to-one
matching leaves clusters without a class; the paper gives each cluster the class of most of
its members (many-to-one, ``majority_accuracy``)."""
from __future__ import annotations

import numpy as np
import torch

from ..checks import check_labels


def contingency(clusters, labels) -> np.ndarray:
    """counts[c, y]: members of cluster c (renumbered 0..) with class y (renumbered 0..)."""
    labels = check_labels(labels, len(labels), "labels").cpu().numpy()
    clusters = check_labels(clusters, len(labels), "clusters").cpu().numpy()
    if len(labels) == 0:
        raise ValueError("labels: expected at least one point")
    _, c = np.unique(clusters, return_inverse=True)
    _, y = np.unique(labels, return_inverse=True)
    counts = np.zeros((c.max() + 1, y.max() + 1), dtype=np.int64)
    np.add.at(counts, (c, y), 1)
    return counts


def majority_accuracy(clusters, labels) -> float:
    """Share of points whose class is the majority class of their cluster (many-to-one)."""
    counts = contingency(clusters, labels)
    return float(counts.max(axis=1).sum() / counts.sum())


def many_to_one_error(fit_clusters, fit_labels, clusters, labels) -> float:
    """Error on (clusters, labels) when each cluster takes the majority class of its members
    among (fit_clusters, fit_labels), e.g. training images; a cluster no fitted point fell in
    counts as wrong."""
    fit_labels = check_labels(fit_labels, len(fit_labels), "fit_labels")
    fit_clusters = check_labels(fit_clusters, len(fit_labels), "fit_clusters")
    labels = check_labels(labels, len(labels), "labels")
    clusters = check_labels(clusters, len(labels), "clusters")
    if len(fit_labels) == 0 or len(labels) == 0:
        raise ValueError("expected at least one fitted and one evaluated point")
    majority = {}
    for c in fit_clusters.unique().tolist():
        majority[c] = int(fit_labels[fit_clusters == c].mode().values)
    predicted = torch.tensor([majority.get(c, -1) for c in clusters.tolist()])
    return float((predicted != labels.cpu()).float().mean())


def clustering_accuracy(clusters, labels) -> float:
    """Share of points whose cluster maps to their class under the best matching; with more
    clusters than classes, unmatched clusters count as errors."""
    counts = contingency(clusters, labels)
    from scipy.optimize import linear_sum_assignment   # imported here: 0.4 s at import time

    rows, cols = linear_sum_assignment(counts, maximize=True)
    return float(counts[rows, cols].sum() / counts.sum())
