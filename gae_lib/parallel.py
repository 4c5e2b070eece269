"""Independent chunks of CPU work side by side: one Python thread per core, one torch thread each.

For the small convolutions of 28x28 generators, torch's intra-op parallelism (one op split
over both cores) keeps the cores less busy than two chunks computed side by side, each on
one core, and it collapses when another process wants a core: its threads wait for each
other at every op.  Measured on 2 cores, inverting chunks of 64 digits with the shipped
DCGAN (image-steps/s): idle, 660 one chunk at a time with 2 torch threads vs 760 two
chunks side by side with 1 thread each; with one other CPU-bound process running, 250 vs
500.  Torch ops release the GIL, so Python threads run them in parallel.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Callable, Iterable, TypeVar

import torch

T = TypeVar("T")
R = TypeVar("R")


@contextmanager
def torch_threads(n: int):
    """Run the block with ``n`` torch intra-op threads, then restore the previous number."""
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def workers_for(n_chunks: int, device: torch.device) -> int:
    """How many chunks to run side by side: one per torch thread on a CPU, one on a GPU."""
    return 1 if device.type != "cpu" else max(1, min(n_chunks, torch.get_num_threads()))


_POOLS: dict[int, ThreadPoolExecutor] = {}


def map_chunks(fn: Callable[[T], R], chunks: Iterable[T], workers: int) -> list[R]:
    """``[fn(c) for c in chunks]``, computed by ``workers`` threads with one torch thread each
    (in order; ``workers == 1`` runs them one after another with torch's threads as they are).
    The threads are kept between calls: oneDNN caches its compiled kernels per thread."""
    chunks = list(chunks)
    if workers <= 1:
        return [fn(c) for c in chunks]
    pool = _POOLS.setdefault(workers, ThreadPoolExecutor(workers, thread_name_prefix="gae_lib"))
    with torch_threads(1):
        return list(pool.map(fn, chunks))
