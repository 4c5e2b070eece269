"""Mode collapse where a CPU reaches it: the two-dimensional testbeds of the mode-collapse
literature, trained with any family's step on small MLPs.

- ``ring-8``: eight Gaussians on the unit circle, standard deviation 0.01;
- ``grid-25``: twenty-five Gaussians at {-4, -2, 0, 2, 4}², standard deviation 0.05
  (the settings of the PacGAN paper's code, after Unrolled GAN and VEEGAN).

Measured as those papers do, on 2,500 samples: each sample goes to its nearest mode; it is
*high quality* within three standard deviations of it, and a mode is *covered* when at least
one high-quality sample lands on it.

    >>> run = train_run("aegan", "ring-8", seed=0, steps=2000)
    >>> coverage(run.samples(2500), "ring-8")
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import torch
from torch import nn

from .config import Adam
from .priors import make_prior

MIXTURES = {
    "ring-8": (torch.tensor([[math.cos(2 * math.pi * k / 8), math.sin(2 * math.pi * k / 8)]
                             for k in range(8)]), 0.01),
    "grid-25": (torch.tensor([[float(i), float(j)] for i in range(-4, 5, 2)
                              for j in range(-4, 5, 2)]), 0.05),
}
SAMPLES = 2500     # the papers' evaluation sample
WITHIN = 3.0       # standard deviations: a high-quality sample


def mixture(name: str) -> tuple[torch.Tensor, float]:
    """(means (K, 2), standard deviation) of a testbed."""
    if name not in MIXTURES:
        raise ValueError(f"testbed: expected one of {', '.join(MIXTURES)}, got {name!r}")
    return MIXTURES[name]


def sample(name: str, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` points of the testbed's mixture, modes equally likely."""
    means, std = mixture(name)
    pick = torch.randint(len(means), (n,), generator=generator)
    return means[pick] + std * torch.randn(n, 2, generator=generator)


@dataclass(frozen=True)
class Coverage:
    modes: int             # modes with at least one high-quality sample
    of: int                # modes of the testbed
    high_quality: float    # share of samples within WITHIN standard deviations of a mode
    per_mode: list[int]    # high-quality samples on each mode


def coverage(points: torch.Tensor, name: str) -> Coverage:
    """Modes covered and the share of high-quality samples (PacGAN's MetricLogger rule)."""
    if points.ndim != 2 or points.shape[1] != 2 or not torch.isfinite(points).all():
        raise ValueError(f"points: expected finite (N, 2) coordinates, got {tuple(points.shape)}")
    means, std = mixture(name)
    distance = torch.cdist(points.float(), means) / std
    nearest, mode = distance.min(1)
    good = nearest < WITHIN
    per_mode = torch.bincount(mode[good], minlength=len(means))
    return Coverage(int((per_mode > 0).sum()), len(means), good.float().mean().item(),
                    per_mode.tolist())


def mlp(width_in: int, width_out: int, hidden: tuple[int, ...], slope: float) -> nn.Sequential:
    """Dense layers with (leaky) ReLUs between them: ``slope`` 0 is a ReLU."""
    layers: list[nn.Module] = []
    for a, b in zip((width_in, *hidden), hidden):
        layers += [nn.Linear(a, b), nn.LeakyReLU(slope) if slope else nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear((width_in, *hidden)[-1], width_out))


ROLES = {   # role -> (input, output) widths given the code width d
    "generator": lambda d: (d, 2), "encoder": lambda d: (2, d),
    "discriminator": lambda d: (2, 1), "latent_discriminator": lambda d: (d, 1),
}


@dataclass(frozen=True)
class ToyConfig:
    """What a family's step reads from a configuration, for a 2-D testbed."""

    family: str
    testbed: str
    latent_dim: int = 32
    batch_size: int = 16
    hidden: tuple[int, ...] = (128, 128)
    prior: str = "standard-gaussian"
    objective: object = None
    optimisers: dict = field(default_factory=dict)


@dataclass
class ToyRun:
    config: ToyConfig
    seed: int
    steps: int
    seconds: float
    nets: dict
    track: list[dict]   # {step, modes, high_quality} every ``track_every`` steps

    def samples(self, n: int = SAMPLES, seed: int = 0) -> torch.Tensor:
        codes = make_prior(self.config.prior, self.config.latent_dim).sample(
            n, generator=torch.Generator().manual_seed(seed))
        with torch.no_grad():
            return self.nets["generator"](codes)


def build(cfg: ToyConfig) -> tuple[dict, dict]:
    """The family's networks as MLPs for 2-D points, and their Adam optimisers."""
    from .families import FAMILIES

    family = FAMILIES[cfg.family]
    nets = {role: mlp(*ROLES[role](cfg.latent_dim), cfg.hidden,
                      0.2 if "discriminator" in role else 0.0) for role in family.trained}
    adam: dict[str, Adam] = {**family.optimisers, **cfg.optimisers}
    opts = {role: torch.optim.Adam(nets[role].parameters(), lr=adam[role].lr,
                                   betas=adam[role].betas) for role in family.trained}
    return nets, opts


class ToyTrainer:
    """``family`` (any family whose step takes x and y, e.g. lazarou2022's aegan, aegan-gan,
    aegan-aae) training on fresh batches of ``testbed`` from ``seed``, a step at a time: what
    ``train_run`` loops over and what the live widget advances frame by frame."""

    def __init__(self, family: str, testbed: str, seed: int, **settings):
        from .families import FAMILIES

        if family not in FAMILIES:
            raise ValueError(f"family: expected one of {', '.join(FAMILIES)}, got {family!r}")
        if seed < 0:
            raise ValueError(f"expected seed >= 0, got {seed}")
        mixture(testbed)
        self.spec = FAMILIES[family]
        self.config = ToyConfig(family, testbed, objective=self.spec.config(), **settings)
        torch.manual_seed(seed)                 # initial weights and the step's prior draws
        self.data = torch.Generator().manual_seed(seed + 1)   # the data order
        self.nets, self.opts = build(self.config)
        self.rng = torch.get_rng_state()
        self.seed, self.steps = seed, 0

    def advance(self, steps: int = 1) -> None:
        """``steps`` training steps.  The global generator is this run's own while it steps,
        so two trainers advanced in turn (the widget) give what each gives alone."""
        outside = torch.get_rng_state()
        torch.set_rng_state(self.rng)
        try:
            for _ in range(steps):
                x = sample(self.config.testbed, self.config.batch_size, self.data)
                self.spec.step(self.nets, self.opts, x, None, self.config, self.steps)
                self.steps += 1
        finally:
            self.rng = torch.get_rng_state()
            torch.set_rng_state(outside)

    def samples(self, n: int = SAMPLES, seed: int = 0) -> torch.Tensor:
        codes = make_prior(self.config.prior, self.config.latent_dim).sample(
            n, generator=torch.Generator().manual_seed(seed))
        with torch.no_grad():
            return self.nets["generator"](codes)


def train_run(family: str, testbed: str, seed: int, steps: int, track_every: int = 0,
              **settings) -> ToyRun:
    """Train ``family`` on ``testbed`` for ``steps`` steps from ``seed``, measuring coverage
    every ``track_every`` steps (0: never)."""
    if steps < 1:
        raise ValueError(f"expected steps >= 1, got {steps}")
    trainer = ToyTrainer(family, testbed, seed, **settings)
    run = ToyRun(trainer.config, seed, steps, 0.0, trainer.nets, [])
    started = time.perf_counter()
    while trainer.steps < steps:
        trainer.advance(min(track_every or steps, steps - trainer.steps))
        if track_every:
            c = coverage(trainer.samples(), testbed)
            run.track.append({"step": trainer.steps, "modes": c.modes,
                              "high_quality": round(c.high_quality, 4)})
    run.seconds = time.perf_counter() - started
    return run
