"""Self-checks for the chapters' lab exercises: say whether an answer is right without
printing the expected value (so the solution stays in its dropdown)."""
from __future__ import annotations

import math


def self_check(answer, expected: float, what: str = "your answer", rel_tol: float = 0.05,
               abs_tol: float = 0.0) -> bool | None:
    """Print whether ``answer`` is within the tolerance of ``expected``; None if the exercise
    has not been attempted (``answer is None``)."""
    if answer is None:
        print(f"Not attempted yet: compute {what}, then run this cell again.")
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: expected a number, got {answer!r}") from None
    if math.isclose(value, float(expected), rel_tol=rel_tol, abs_tol=abs_tol):
        print(f"Correct: {what} = {value:.4g}.")
        return True
    direction = "high" if value > expected else "low"
    print(f"Not quite: {what} = {value:.4g} is too {direction} "
          f"(tolerance {rel_tol:.0%} relative{f', {abs_tol:g} absolute' if abs_tol else ''}).")
    return False
