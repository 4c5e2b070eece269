"""Self-checks for the chapters' lab exercises: say whether an answer is right without
printing the expected value (so the solution stays in its dropdown).  In the graded
edition (nbgrader, ``gae_lib.assignments``) the same check becomes an autograded test:
``start_graded_check()`` before it, ``assert_correct(...)`` after it."""
from __future__ import annotations

import math

# The verdicts of the self-checks run since the last start_graded_check(): True, False, or
# None (not attempted).
_verdicts: list[bool | None] = []


def self_check(answer, expected: float, what: str = "your answer", rel_tol: float = 0.05,
               abs_tol: float = 0.0) -> bool | None:
    """Print whether ``answer`` is within the tolerance of ``expected``; None if the exercise
    has not been attempted (``answer is None``)."""
    verdict = _verdict(answer, expected, what, rel_tol, abs_tol)
    _verdicts.append(verdict)
    return verdict


def _verdict(answer, expected, what, rel_tol, abs_tol) -> bool | None:
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


def start_graded_check() -> None:
    """Forget earlier verdicts: the check that follows is judged on its own."""
    _verdicts.clear()


def assert_correct(exercise: str) -> None:
    """An autograded test: the self-check run since ``start_graded_check()`` said Correct."""
    if not _verdicts:
        raise AssertionError(f"{exercise}: its self-check did not run (see the message above)")
    if _verdicts[-1] is not True:
        said = "not attempted" if _verdicts[-1] is None else "not correct"
        raise AssertionError(f"{exercise}: {said} (see the self-check's message above)")
