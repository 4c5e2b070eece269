"""The few labelled examples of semi-supervised learning (makhzani2016, Table 2): the same
number of each class, drawn from the training set by a seed (the "label draw")."""
from __future__ import annotations

from functools import lru_cache

import torch

from ..checks import check_labels, check_positive_int


def balanced_indices(labels, n_labels: int, draw: int, classes: int = 10) -> torch.Tensor:
    """``n_labels`` indices into ``labels``, ``n_labels / classes`` of each class, chosen by
    the seed ``draw``; sorted, so that the subset does not depend on the order of drawing."""
    labels = check_labels(labels, len(labels))
    n_labels = check_positive_int(n_labels, "n_labels")
    if n_labels % classes:
        raise ValueError(f"n_labels: expected a multiple of {classes} (the same number of each "
                         f"class), got {n_labels}")
    generator = torch.Generator().manual_seed(draw)
    chosen = []
    for c in range(classes):
        members = torch.nonzero(labels == c).squeeze(1)
        if len(members) < n_labels // classes:
            raise ValueError(f"class {c} has {len(members)} examples; {n_labels // classes} "
                             "were asked for")
        order = torch.randperm(len(members), generator=generator)
        chosen.append(members[order[: n_labels // classes]])
    return torch.cat(chosen).sort().values


@lru_cache(maxsize=8)
def labelled_tensors(dataset: str, n_labels: int, draw: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(images in [-1, 1], labels) of the labelled subset of ``dataset``'s training set."""
    from . import tensors

    x, y = tensors(dataset, "train")
    idx = balanced_indices(y, n_labels, draw)
    return x[idx].contiguous(), y[idx].clone()
