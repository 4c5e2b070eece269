"""Model families: one module each, found here by their ``FAMILY``.

A family module holds its settings (a frozen dataclass, nested in the checkpoint's
config as ``objective``), the roles and default architectures of its networks, the
networks it trains with their default Adam settings, one training ``step`` and the
metrics it records after training (``evaluate``).  Adding a family = adding a module
here (and its configurations with their document in ``gae_lib.documents``).
"""
from __future__ import annotations

import importlib
import pkgutil

from .base import Family, optimise

FAMILIES: dict[str, Family] = {}
for _info in pkgutil.iter_modules(__path__):
    if _info.name != "base":
        _family = getattr(importlib.import_module(f"{__name__}.{_info.name}"), "FAMILY", None)
        if _family is not None:
            FAMILIES[_family.name] = _family


def family_of(cfg_or_name) -> Family:
    """The family of a TrainConfig (or of a family name)."""
    name = cfg_or_name if isinstance(cfg_or_name, str) else cfg_or_name.family
    if name not in FAMILIES:
        raise ValueError(f"unknown family {name!r}; expected one of {', '.join(sorted(FAMILIES))}")
    return FAMILIES[name]


__all__ = ["FAMILIES", "Family", "family_of", "optimise"]
