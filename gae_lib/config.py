"""Training configurations: configuration is data, written next to the weights as JSON.

A ``TrainConfig`` holds what every family shares (data, latent space, batches, epochs,
seed), the architecture of each network (``networks``: role -> ``NetSpec``), one Adam per
trained network (``optimisers``) and the family's own settings (``objective``, a frozen
dataclass of ``gae_lib.families.<family>``).  Whatever is left out takes the family's
default, and the stored config is always complete, so a checkpoint's JSON says exactly
how it was trained.  The configurations of the shipped models live with their documents
(``gae_lib.documents``).
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from .nets import NetSpec
from .precision import check_precision


@dataclass(frozen=True)
class Adam:
    """One network's optimiser: Adam(lr, betas)."""
    lr: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)

    def __post_init__(self):
        object.__setattr__(self, "betas", tuple(self.betas))
        lr_ok = self.lr > 0 and math.isfinite(self.lr)
        if not lr_ok or len(self.betas) != 2 or not all(0 <= b < 1 for b in self.betas):
            raise ValueError(f"Adam: expected a finite lr > 0 and two betas in [0, 1), got {self}")


# A zoo name is DOCUMENT/MODEL, each part lower-case letters, digits, ".", "_" and "-", not
# starting with a dot: it is a path under data/checkpoints and must stay inside it.
NAME_PART = re.compile(r"[a-z0-9][a-z0-9._-]*")


def check_model_name(name) -> str:
    """``name`` if it is DOCUMENT/MODEL as the zoo names models, else a ValueError."""
    parts = name.split("/") if isinstance(name, str) else []
    if len(parts) != 2 or not all(NAME_PART.fullmatch(p) for p in parts):
        raise ValueError(f"{name!r}: expected a name DOCUMENT/MODEL (lower-case letters, digits, "
                         f"'.', '_', '-'; e.g. 'favuzzi2019/dcgan')")
    return name


def check_count(value, name: str) -> int:
    """A whole number >= 1 (epochs, a batch size, a number of images)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name}: expected a whole number >= 1, got {value!r}")
    return value


@dataclass(frozen=True)
class TrainConfig:
    name: str                      # zoo name, DOCUMENT/MODEL, e.g. "favuzzi2019/dcgan"
    family: str                    # a module of gae_lib.families, e.g. "gan", "vae", "wgan-gp"
    dataset: str = "mnist"
    channels: int = 1
    latent_dim: int = 100
    prior: str = "uniform-cube"
    batch_size: int = 128
    epochs: int = 5
    # A budget in steps (updates of the generator's batch) where an epoch is more than the run
    # can afford (e.g. Stacked-MNIST's 128,000 images): the run stops after this many steps,
    # in its last epoch; 0: every step of every epoch.
    steps: int = 0
    seed: int = 0
    networks: dict[str, NetSpec] = field(default_factory=dict)   # role -> architecture
    optimisers: dict[str, Adam] = field(default_factory=dict)    # trained network -> Adam
    objective: Any = None          # the family's settings (its own frozen dataclass)
    # What the zoo keeps: these trained networks (empty: all), stored in this dtype, and a
    # snapshot of training every this many epochs (0: none; gae_lib.snapshots), and samples
    # measured every this many steps (0: never; gae_lib.tracking).
    shipped: tuple[str, ...] = ()
    ship_dtype: str = "float32"
    snapshot_every: int = 0
    track_every: int = 0
    # The arithmetic of training (gae_lib.precision): float32, bfloat16 (mixed precision:
    # float32 weights and losses) or auto (bfloat16 where the hardware runs it natively).
    precision: str = "float32"

    def __post_init__(self):
        from .families import family_of   # families import this module
        check_model_name(self.name)
        check_count(self.epochs, f"{self.name}: epochs")
        check_count(self.batch_size, f"{self.name}: batch_size")
        family = family_of(self)
        unknown = set(self.networks) - set(family.networks)
        if unknown:
            raise ValueError(f"{self.name}: networks {sorted(unknown)} are not part of the "
                             f"{self.family!r} family (it has {list(family.networks)})")
        unknown = set(self.optimisers) - set(family.trained)
        if unknown:
            raise ValueError(f"{self.name}: optimisers for {sorted(unknown)}, which the "
                             f"{self.family!r} family does not train ({list(family.trained)})")
        objective = self.objective if self.objective is not None else family.config()
        if not isinstance(objective, family.config):
            raise ValueError(f"{self.name}: objective must be a {family.config.__name__}, "
                             f"got {type(objective).__name__}")
        object.__setattr__(self, "shipped", tuple(self.shipped))
        if set(self.shipped) - set(family.trained):
            raise ValueError(f"{self.name}: shipped {list(self.shipped)} must be among the "
                             f"trained networks {list(family.trained)}")
        if self.snapshot_every < 0 or self.track_every < 0:
            raise ValueError(f"{self.name}: snapshot_every and track_every must be >= 0")
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or self.steps < 0:
            raise ValueError(f"{self.name}: steps: expected a whole number >= 0 (0: whole "
                             f"epochs), got {self.steps!r}")
        try:
            check_precision(self.precision)
        except ValueError as err:
            raise ValueError(f"{self.name}: {err}") from None
        if self.ship_dtype not in ("float32", "float16"):
            raise ValueError(f"{self.name}: ship_dtype must be float32 or float16")
        object.__setattr__(self, "networks", {**family.networks, **self.networks})
        object.__setattr__(self, "optimisers", {**family.optimisers, **self.optimisers})
        object.__setattr__(self, "objective", objective)

    def planned_steps(self, images: int, fit: bool = False) -> int:
        """The steps this run takes on ``images`` training images: every batch of every epoch,
        or ``steps`` where it is set -- a ValueError where the epochs cannot hold them, unless
        ``fit`` (a quick check on a few images: what they hold)."""
        every = self.epochs * -(-images // self.batch_size)
        if fit:
            return min(self.steps or every, every)
        if self.steps > every:
            raise ValueError(f"{self.name}: steps {self.steps:,} is more than its {self.epochs} "
                             f"epoch(s) of {images:,} images in batches of {self.batch_size} "
                             f"hold ({every:,}); raise epochs or lower steps")
        return self.steps or every

    @property
    def document(self) -> str:
        return self.name.split("/", 1)[0]

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["networks"] = {k: v.to_dict() for k, v in self.networks.items()}
        out["optimisers"] = {k: {"lr": v.lr, "betas": list(v.betas)}
                             for k, v in self.optimisers.items()}
        out["objective"] = asdict(self.objective)
        out["shipped"] = list(self.shipped)
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        from .families import family_of
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown TrainConfig fields {sorted(unknown)}; expected some of "
                             f"{sorted(known)}")
        d = dict(d)
        family = family_of(d.get("family", ""))
        d["networks"] = {k: NetSpec(**v) for k, v in d.get("networks", {}).items()}
        d["optimisers"] = {k: Adam(**v) for k, v in d.get("optimisers", {}).items()}
        if d.get("objective") is not None:
            allowed = {f.name for f in fields(family.config)}
            extra = set(d["objective"]) - allowed
            if extra:
                raise ValueError(f"unknown {family.config.__name__} fields {sorted(extra)}; "
                                 f"expected some of {sorted(allowed)}")
            d["objective"] = family.config(**d["objective"])
        return cls(**d)

    def with_(self, **changes) -> "TrainConfig":
        """A copy with top-level fields changed; a name of the family's settings (e.g.
        ``d_steps_per_g_step``) changes ``objective``."""
        settings = {f.name for f in fields(self.objective)}
        objective = {k: changes.pop(k) for k in list(changes) if k in settings}
        if objective:
            changes["objective"] = replace(self.objective, **objective)
        return replace(self, **changes)
