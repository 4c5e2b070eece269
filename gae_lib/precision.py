"""Training and inversion in bfloat16 where the hardware runs it natively, float32 elsewhere.

``bfloat16`` is mixed precision (``torch.autocast``): matrix products and convolutions run
in bfloat16, the weights (Adam's master copy), the optimiser state and every loss stay in
float32 -- each network's output is cast back to float32 before a loss sees it.  On a CPU
with AVX512-BF16 (or AMX) a DCGAN-28 training step runs about twice as fast; on a CPU
without it autocast emulates bfloat16 and is *slower* than float32 (measured on an Intel
Xeon without the instructions: 1383 ms against 412 ms), so ``auto`` picks bfloat16 only
where it is native.  Autocast is thread-local: code that computes in worker threads
(gae_lib.parallel) enters it in each thread.
"""
from __future__ import annotations

import contextlib
import functools
from pathlib import Path

import torch
from torch import nn

PRECISIONS = ("float32", "bfloat16", "auto")
# Linux's names of the CPU instructions that compute in bfloat16 natively.
NATIVE_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


def check_precision(precision) -> str:
    if precision not in PRECISIONS:
        raise ValueError(f"precision: expected one of {', '.join(PRECISIONS)}, got {precision!r}")
    return precision


@functools.lru_cache(maxsize=None)
def cpu_flags(cpuinfo: str = "/proc/cpuinfo") -> frozenset[str]:
    """The CPU's feature flags as Linux lists them (empty where there is no /proc/cpuinfo)."""
    try:
        text = Path(cpuinfo).read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def native_bf16(device: torch.device | str = "cpu") -> bool:
    """Whether ``device`` computes in bfloat16 natively (not by emulation)."""
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported(including_emulation=False)
    return device.type == "cpu" and any(f in cpu_flags() for f in NATIVE_BF16_FLAGS)


def resolve(precision: str, device: torch.device | str = "cpu") -> str:
    """``float32`` or ``bfloat16``: ``auto`` is bfloat16 where ``device`` runs it natively."""
    check_precision(precision)
    if precision == "auto":
        return "bfloat16" if native_bf16(device) else "float32"
    return precision


def autocast(precision: str, device: torch.device | str = "cpu"):
    """The context that computes in ``precision`` (``float32``: nothing changes).  Enter it in
    the thread that computes: autocast is thread-local."""
    if resolve(precision, device) == "float32":
        return contextlib.nullcontext()
    return torch.autocast(torch.device(device).type, dtype=torch.bfloat16)


def mixed(precision: str, device: torch.device | str, nets: dict[str, nn.Module]):
    """Compute ``nets`` in ``precision`` within the block: in bfloat16, autocast with every
    network returning float32 (``float32_outputs``); in float32, nothing changes."""
    if resolve(precision, device) == "float32":
        return contextlib.nullcontext()
    stack = contextlib.ExitStack()
    stack.enter_context(autocast(precision, device))
    stack.enter_context(float32_outputs(nets))
    return stack


def to_float32(value):
    """``value`` with every bfloat16 tensor in it (also inside tuples, lists, dicts) as float32."""
    if isinstance(value, torch.Tensor):
        return value.float() if value.dtype == torch.bfloat16 else value
    if isinstance(value, (tuple, list)):
        return type(value)(to_float32(v) for v in value)
    if isinstance(value, dict):
        return {k: to_float32(v) for k, v in value.items()}
    return value


@contextlib.contextmanager
def float32_outputs(nets: dict[str, nn.Module]):
    """Within the block, each network of ``nets`` returns float32 whatever it computed in, so
    the losses (and the other networks a family chains it into) start from float32."""
    handles = [net.register_forward_hook(lambda module, args, out: to_float32(out))
               for net in nets.values()]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def cpu_model(cpuinfo: str = "/proc/cpuinfo") -> str:
    """The CPU's model name as Linux lists it ("" where there is none)."""
    try:
        for line in Path(cpuinfo).read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return ""
