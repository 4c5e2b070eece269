"""Apply a function to a large tensor in parts (memory), without gradients."""
from __future__ import annotations

import torch


@torch.no_grad()
def batched(fn, x: torch.Tensor, batch: int = 500) -> torch.Tensor:
    """``fn`` on ``batch`` rows of ``x`` at a time, the results concatenated."""
    return torch.cat([fn(part) for part in x.split(batch)])
