"""Are the codes of one digit a convex set?  favuzzi2019 reads its decision-border planes
(Figs. 13-14) as "entangled and non-convex": the straight line between two codes of the
same digit can decode to another digit.  This counts how often that happens."""
from __future__ import annotations

import torch

from ..checks import check_codes, check_labels, check_positive_int
from ..batching import batched


@torch.no_grad()
def path_leaves_class(decode, classifier, codes, labels, pairs: int = 50, steps: int = 8,
                      seed: int = 0) -> float:
    """Share of random same-class pairs (i, j) for which some point (1-t) z_i + t z_j,
    t in (0, 1) at ``steps`` even spacings, decodes to an image the classifier gives
    another class than theirs.  ``decode`` maps codes to images (e.g. CodeModel.decode)."""
    codes = check_codes(codes, "codes")
    labels = check_labels(labels, len(codes), "labels")
    pairs, steps = check_positive_int(pairs, "pairs"), check_positive_int(steps, "steps")
    counts = torch.bincount(labels)
    usable = (counts >= 2).nonzero()[:, 0]
    if len(usable) == 0:
        raise ValueError("labels: expected at least one class with two or more codes")
    g = torch.Generator().manual_seed(seed)
    t = torch.linspace(0, 1, steps + 2)[1:-1, None]
    left = 0
    for _ in range(pairs):
        c = usable[torch.randint(len(usable), (1,), generator=g)].item()
        members = (labels == c).nonzero()[:, 0]
        i, j = members[torch.randperm(len(members), generator=g)[:2]]
        predicted = batched(classifier, decode((1 - t) * codes[i] + t * codes[j])).argmax(1)
        left += bool((predicted.cpu() != c).any())
    return left / pairs
