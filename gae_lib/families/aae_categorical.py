"""The AAE with a categorical and a style code (makhzani2016, secs. 5 and 6; Figs. 8, 9).

The encoder's output is split into ``classes`` logits, whose softmax is the categorical code
y, and a style code z of ``latent_dim``; the decoder sees [y, z].  Per batch: a
reconstruction phase (E and G), a regularisation phase (a discriminator on y against one-hot
samples and one on z against N(0, I), then E fools both), and, when labels are given, a
semi-supervised phase: cross-entropy of y's logits on a batch of the few labelled examples.
Without labels the same model clusters (sec. 6): an image's cluster is argmax y."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from .. import data, losses
from ..data.labelled import labelled_tensors
from ..metrics.clustering import majority_accuracy
from ..priors import make_prior
from .aae import FAMILY as AAE
from .base import Family, optimise



@dataclass(frozen=True)
class CategoricalAAESettings:
    classes: int = 10      # width of the categorical code (clusters when unsupervised)
    labels: int = 0        # labelled training examples (0: unsupervised clustering)
    label_draw: int = 0    # seed that picks the labelled examples (data.labelled)
    # Not in the paper: weight of KL(batch mean of y || uniform) in E's regularisation step.
    # Without labels the softmax can saturate on one cluster, where its gradient vanishes and
    # the code discriminator can no longer pull it back (what our first clustering run did).
    balance_weight: float = 0.0

    def __post_init__(self):
        if self.classes < 2 or self.labels < 0:
            raise ValueError(f"expected classes >= 2 and labels >= 0, got {self}")


def split_code(encoder, x: torch.Tensor, classes: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(class logits, style code) of images x."""
    h = encoder(x)
    return h[:, :classes], h[:, classes:]


def decode(generator, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """G([y, z]): y one-hot or soft class code, z style code."""
    return generator(torch.cat([y, z], dim=1))


def step(nets, opts, x, labels, cfg, iteration):
    E, G = nets["encoder"], nets["generator"]
    Dy, Dz = nets["label_discriminator"], nets["latent_discriminator"]
    k = cfg.objective.classes
    logits, z = split_code(E, x, k)
    out = {"mse": optimise(opts, ["encoder", "generator"],
                           losses.reconstruction_mse(x, decode(G, logits.softmax(1), z)))}
    logits, z = split_code(E, x, k)   # again: E has just changed
    y = logits.softmax(1)
    one_hot = make_prior("categorical", k).sample(len(x)).to(x.device)
    gaussian = make_prior("standard-gaussian", cfg.latent_dim).sample(len(x)).to(x.device)
    out["d_loss"] = optimise(
        opts, ["label_discriminator", "latent_discriminator"],
        losses.discriminator_loss(Dy(one_hot), Dy(y.detach()))
        + losses.discriminator_loss(Dz(gaussian), Dz(z.detach())))
    fool = losses.nonsaturating_generator_loss(Dy(y)) + losses.nonsaturating_generator_loss(Dz(z))
    if cfg.objective.balance_weight:
        fool = fool + cfg.objective.balance_weight * cluster_balance(logits)
    out["e_adv_loss"] = optimise(opts, ["encoder"], fool)
    if cfg.objective.labels:
        xl, yl = labelled_batch(cfg, len(x))
        logits, _ = split_code(E, xl.to(x.device), k)
        out["xent"] = optimise(opts, ["encoder"],
                               losses.classification_loss(logits, yl.to(x.device)))
    return out


def cluster_balance(logits: torch.Tensor) -> torch.Tensor:
    """KL(batch mean of softmax(logits) || uniform) = log k + sum_c m_c log m_c: 0 when the
    batch uses every category equally, log k when it uses one."""
    log_mean = torch.logsumexp(logits.log_softmax(1), 0) - math.log(len(logits))
    return math.log(logits.shape[1]) + (log_mean.exp() * log_mean).sum()


def labelled_batch(cfg, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    xl, yl = labelled_tensors(cfg.dataset, cfg.objective.labels, cfg.objective.label_draw)
    idx = torch.randint(len(xl), (min(n, len(xl)),))
    return xl[idx], yl[idx]


@torch.no_grad()
def categories(encoder, x: torch.Tensor, classes: int, batch: int = 1000) -> torch.Tensor:
    """argmax y for each image: its predicted class, or its cluster."""
    encoder.eval()
    return torch.cat([split_code(encoder, x[i:i + batch], classes)[0].argmax(1)
                      for i in range(0, len(x), batch)])


def evaluate(cfg, nets, load):
    x, y = data.tensors(cfg.dataset, "test")
    found = categories(nets["encoder"], x, cfg.objective.classes)
    if cfg.objective.labels:
        return {"test_error": round(float((found != y).float().mean()), 4)}
    return {"test_error_many_to_one": round(1 - majority_accuracy(found, y), 4),
            "clusters_used": int(found.unique().numel())}


FAMILY = Family(
    name="aae-categorical",
    config=CategoricalAAESettings,
    # The plain AAE's networks and Adam, plus a second code discriminator (on y).
    networks={**AAE.networks, "label_discriminator": AAE.networks["latent_discriminator"]},
    trained=(*AAE.trained, "label_discriminator"),
    optimisers={**AAE.optimisers, "label_discriminator": AAE.optimisers["latent_discriminator"]},
    step=step,
    evaluate=evaluate,
    measured_with_classifier=False,
    code_widths=lambda cfg: {
        "encoder": cfg.objective.classes + cfg.latent_dim,
        "generator": cfg.objective.classes + cfg.latent_dim,
        "label_discriminator": cfg.objective.classes},
)
