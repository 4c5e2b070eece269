"""What makhzani2016's AAE variants are used for, as the chapter measures them: classifying
with few labels (Table 2) against a network trained on the labels alone, clustering
(sec. 6) against k-means on pixels, style and content (Fig. 7), and the codes of a 2-D AAE
as a map of the data (Fig. 2e and the dimensionality-reduction section)."""

from __future__ import annotations

import numpy as np
import torch
from scipy.stats import norm
from torch.nn import functional as F

from .batching import batched
from .checks import check_labels, check_positive_int
from .data.labelled import labelled_tensors
from .families.aae_categorical import categories, split_code
from .losses import classification_loss
from .nets import build_network

CLASSES = 10
BASELINE_OF = "makhzani2016/semi-100-draw0"   # its encoder and Adam make the baseline


def supervised_only(n_labels: int, draw: int, steps: int = 500, seed: int = 0,
                    dataset: str = "mnist") -> torch.nn.Module:
    """Table 2's "NN baseline": the semi-supervised AAE's encoder (784-1000-1000 ReLU, here
    only its 10 class logits) trained by cross-entropy on the same ``n_labels`` labelled
    examples (label draw ``draw``) alone, with the AAE's Adam, in batches of up to 100.
    Returned in eval mode; its logits are ``net(x)``."""
    from .documents import config

    aae = config(BASELINE_OF)
    torch.manual_seed(seed)
    net = build_network("encoder", aae.networks["encoder"], CLASSES, aae.channels)
    adam = aae.optimisers["encoder"]
    opt = torch.optim.Adam(net.parameters(), lr=adam.lr, betas=adam.betas)
    x, y = labelled_tensors(dataset, n_labels, draw)
    g = torch.Generator().manual_seed(seed)
    net.train()
    for _ in range(check_positive_int(steps, "steps")):
        idx = torch.randint(len(x), (min(100, len(x)),), generator=g)
        opt.zero_grad(set_to_none=True)
        classification_loss(net(x[idx]), y[idx]).backward()
        opt.step()
    return net.eval()


@torch.no_grad()
def classification_error(net, x: torch.Tensor, y, classes: int = CLASSES) -> float:
    """Test error of a categorical AAE's encoder (argmax of its class logits) or of a
    network whose first ``classes`` outputs are logits."""
    y = check_labels(y, len(x))
    return float((categories(net, x, classes) != y).float().mean())


@torch.no_grad()
def cluster_heads(generator, clusters: int) -> torch.Tensor:
    """Fig. 9's first column: each cluster's one-hot code with the style code at 0, decoded."""
    generator.eval()
    style = generator.latent_dim - clusters
    return generator(torch.cat([torch.eye(clusters), torch.zeros(clusters, style)], 1))


@torch.no_grad()
def cluster_members(encoder, x: torch.Tensor, clusters: int, n: int = 8) -> torch.Tensor:
    """(clusters, n) indices into x: for each cluster, the images it is most sure of
    (highest probability of that cluster among the images assigned to it; -1 pads a cluster
    with fewer than n members)."""
    encoder.eval()
    probs = batched(lambda b: split_code(encoder, b, clusters)[0].softmax(1), x)
    assigned = probs.argmax(1)
    out = torch.full((clusters, n), -1, dtype=torch.long)
    for c in range(clusters):
        members = torch.nonzero(assigned == c).squeeze(1)
        best = members[probs[members, c].argsort(descending=True)[:n]]
        out[c, :len(best)] = best
    return out


def kmeans_clusters(fit_x: torch.Tensor, x: torch.Tensor, k: int, seed: int = 0):
    """k-means on pixels (scikit-learn, k-means++ with 3 restarts) fitted on ``fit_x``:
    (clusters of fit_x, clusters of x)."""
    from sklearn.cluster import KMeans

    model = KMeans(check_positive_int(k, "k"), n_init=3, random_state=seed)
    fit = model.fit_predict(fit_x.flatten(1).numpy())
    return torch.from_numpy(fit).long(), torch.from_numpy(model.predict(x.flatten(1).numpy()))


@torch.no_grad()
def style_rows(encoder, generator, x: torch.Tensor) -> torch.Tensor:
    """Fig. 7: each image's style code (encoder), decoded with each label 0..9; shape
    (len(x) * 10, C, H, W), one row of ten per image."""
    encoder.eval(), generator.eval()
    z = encoder(x).repeat_interleave(CLASSES, 0)
    labels = torch.arange(CLASSES).repeat(len(x))
    return generator(torch.cat([F.one_hot(labels, CLASSES).float(), z], 1))


def gaussian_percentile_codes(side: int) -> torch.Tensor:
    """Fig. 2e: the side x side codes whose coordinates are the Gaussian quantiles of evenly
    spaced percentiles (first row: the highest z2, as the figure is drawn)."""
    q = torch.from_numpy(norm.ppf(np.linspace(0.5 / side, 1 - 0.5 / side, side))).float()
    z2, z1 = torch.meshgrid(q.flip(0), q, indexing="ij")
    return torch.stack([z1.reshape(-1), z2.reshape(-1)], 1)


def nearest_neighbour_error(fit_codes, fit_labels, codes, labels, k: int = 5) -> float:
    """Error of a k-nearest-neighbour vote (Euclidean) from (fit_codes, fit_labels): the
    "simple classifier" on a 2-D map of the data."""
    fit_labels, labels = check_labels(fit_labels, len(fit_codes)), check_labels(labels, len(codes))
    fit_codes, codes = torch.as_tensor(fit_codes).float(), torch.as_tensor(codes).float()
    k = check_positive_int(k, "k")
    if k > len(fit_codes):
        raise ValueError(f"k: expected at most {len(fit_codes)} (the fitted points), got {k}")
    wrong = 0
    for part, y in zip(codes.split(1000), labels.split(1000)):
        near = torch.cdist(part, fit_codes).topk(k, largest=False).indices
        vote = fit_labels[near].mode(1).values
        wrong += int((vote != y).sum())
    return wrong / len(codes)
