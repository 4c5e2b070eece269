"""What a family is, and the helpers its steps share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from ..config import Adam
from ..nets import NetSpec, build_network

CLASSIFIER = "book/classifier"  # the zoo model every family's samples are measured with


@dataclass(frozen=True)
class NoSettings:
    """A family without settings of its own."""


@dataclass(frozen=True)
class Family:
    name: str
    networks: dict[str, NetSpec]  # role -> default architecture
    trained: tuple[str, ...]  # the networks its step updates (and a checkpoint holds)
    step: Callable[..., dict[str, float]]  # (nets, opts, x, y, cfg, iteration) -> losses
    evaluate: Callable[..., dict]  # (cfg, nets, load) -> metrics recorded after training
    config: type = NoSettings  # the family's settings (TrainConfig.objective)
    optimisers: dict[str, Adam] = field(default_factory=dict)  # defaults for ``trained``
    # Networks that are not trained but taken from another zoo model (cfg -> {role: name}).
    frozen: Callable[..., dict[str, str]] = lambda cfg: {}
    measured_with_classifier: bool = True  # evaluate loads the book's classifier
    # Networks whose code width is not latent_dim (cfg -> {role: width}), e.g. a decoder fed
    # a one-hot label beside the code (makhzani2016's supervised and semi-supervised AAE).
    code_widths: Callable[..., dict[str, int]] = lambda cfg: {}

    def build(self, cfg, load=None) -> dict[str, nn.Module]:
        """Fresh networks of ``cfg``; frozen ones come from ``load(name)`` (the zoo)."""
        widths = self.code_widths(cfg)
        nets = {
            role: build_network(role, spec, widths.get(role, cfg.latent_dim), cfg.channels)
            for role, spec in cfg.networks.items()
        }
        for role, name in self.frozen(cfg).items():
            if load is None:
                raise ValueError(f"{cfg.name}: its {role} comes from {name}; pass load=zoo.load")
            nets[role] = load(name)[role].requires_grad_(False)
        return nets

    def needs(self, cfg) -> set[str]:
        """Zoo models that must exist before ``cfg`` can be trained and evaluated."""
        return set(self.frozen(cfg).values()) | (
            {CLASSIFIER} if self.measured_with_classifier else set()
        )

    def make_optimisers(self, cfg, nets) -> dict[str, torch.optim.Adam]:
        return {
            k: torch.optim.Adam(
                nets[k].parameters(), lr=cfg.optimisers[k].lr, betas=cfg.optimisers[k].betas
            )
            for k in self.trained
        }


def optimise(opts: dict, names, loss: torch.Tensor, clip: float = 0.0) -> float:
    """One gradient step of the networks ``names`` on ``loss``, each network's gradient norm
    clipped at ``clip`` first when it is > 0 (Keras' clipnorm); returns the loss."""
    for name in names:
        opts[name].zero_grad(set_to_none=True)
    loss.backward()
    for name in names:
        if clip > 0:
            params = [p for group in opts[name].param_groups for p in group["params"]]
            torch.nn.utils.clip_grad_norm_(params, clip)
        opts[name].step()
    return loss.item()
