"""The book's verdict rule, fixed before any run it judges.

A compared claim has two sides (e.g. the AEGAN's and the GAN's Fréchet distances) and the
direction the document reports (``first < second``), or a number the document gives
(``first ≈ paper``, within a tolerance declared with the claim).  Each side is a list of
values, one per *training run* (training seed: initialisation and data order; evaluation
samples and label draws are not runs).  With ``MIN_RUNS`` or more runs a side:

- **holds** when the mean difference has the document's sign and exceeds ``Z`` times its
  standard error (Welch: ``sqrt(s1²/n1 + s2²/n2)``);
- **does not hold** when the opposite sign does;
- **inconclusive** otherwise.

Against the document's number: *holds* when our mean ± Z·SE lies inside the number ± the
tolerance, *does not hold* when it lies wholly outside, *inconclusive* when it straddles the
edge.  A side that is not a trained model (pixels, k-means, the document's number) is
``fixed``: one value with no spread.  With fewer runs a side the verdict is *inconclusive by
rule*, whatever the numbers say: one run cannot be told apart from seed noise.

    >>> decide("<", [193.5, 180.2, 201.0], [139.1, 150.3, 141.8]).verdict
    'does not hold'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

HOLDS, FAILS, INCONCLUSIVE = "holds", "does not hold", "inconclusive"
VERDICTS = (HOLDS, FAILS, INCONCLUSIVE)
RELATIONS = ("<", ">", "≈")
MIN_RUNS = 3
Z = 2.0


@dataclass(frozen=True)
class Side:
    """One side's values (one per training run) and their summary."""

    values: tuple[float, ...]
    fixed: bool = False   # not a trained model: one value, no spread

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float:
        return sum(self.values) / self.n

    @property
    def sd(self) -> float:
        """Sample standard deviation (n - 1); 0 for a single or fixed value."""
        if self.n < 2:
            return 0.0
        m = self.mean
        return math.sqrt(sum((v - m) ** 2 for v in self.values) / (self.n - 1))

    def text(self, fmt: str = ".4f") -> str:
        """'193.5 ± 10.6 (3 runs)', '0.0120 (1 run)', or the bare value of a fixed side."""
        if self.fixed:
            return format(self.mean, fmt)
        if self.n == 1:
            return f"{self.mean:{fmt}} (1 run)"
        return f"{self.mean:{fmt}} ± {self.sd:{fmt}} ({self.n} runs)"


@dataclass(frozen=True)
class Verdict:
    verdict: str          # holds | does not hold | inconclusive
    reason: str           # why, in words the claims table shows
    agrees: bool          # the means go the document's way (the point estimate alone)
    difference: float     # mean(first) - mean(second)
    standard_error: float  # of that difference over the runs (0 with fixed sides)


def side(values, fixed: bool = False, name: str = "side") -> Side:
    """A ``Side`` from one number or a sequence of per-run numbers (all finite)."""
    seq = [values] if isinstance(values, (int, float)) else list(values)
    if not seq:
        raise ValueError(f"{name}: expected at least one value, got none")
    try:
        numbers = tuple(float(v) for v in seq)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected numbers, got {seq!r}") from None
    if not all(math.isfinite(v) for v in numbers):
        raise ValueError(f"{name}: expected finite numbers, got {list(numbers)}")
    if fixed and len(numbers) != 1:
        raise ValueError(f"{name}: a fixed side is one value, got {len(numbers)}")
    return Side(numbers, fixed)


def standard_error(first: Side, second: Side) -> float:
    """Welch's standard error of mean(first) - mean(second); a fixed side adds nothing."""
    parts = [s.sd ** 2 / s.n for s in (first, second) if not s.fixed]
    return math.sqrt(sum(parts))


def decide(relation: str, first, second, *, fixed_second: bool = False,
           tolerance: float | None = None, min_runs: int = MIN_RUNS, z: float = Z) -> Verdict:
    """The three-way verdict on ``first relation second`` (see the module's rule).
    ``relation``: '<' or '>' (the document's direction), or '≈' (``second`` is the
    document's number, fixed, and ``tolerance`` the band declared with the claim)."""
    if relation not in RELATIONS:
        raise ValueError(f"relation: expected one of {RELATIONS}, got {relation!r}")
    if relation == "≈":
        if tolerance is None or not tolerance >= 0:
            raise ValueError(f"tolerance: expected a band >= 0 for '≈', got {tolerance!r}")
        fixed_second = True
    a = first if isinstance(first, Side) else side(first, name="first")
    b = second if isinstance(second, Side) else side(second, fixed_second, name="second")
    diff, se = a.mean - b.mean, standard_error(a, b)
    if relation == "≈":
        agrees = abs(diff) <= tolerance
        inside, outside = abs(diff) + z * se <= tolerance, abs(diff) - z * se > tolerance
    else:
        sign = 1.0 if relation == ">" else -1.0
        agrees = sign * diff > 0
        inside, outside = sign * diff > z * se, -sign * diff > z * se
    short = [s for s in (a, b) if not s.fixed and s.n < min_runs]
    if short:
        runs = min(s.n for s in short)
        where = "" if a.fixed or b.fixed else " a side"
        return Verdict(INCONCLUSIVE, f"by rule: {runs} run{'s' * (runs != 1)}{where}, "
                       f"{min_runs} needed", agrees, diff, se)
    bound = f"{z:g} SE = {z * se:.3g}"
    if inside:
        what = (f"within ±{tolerance:g} by more than {bound}" if relation == "≈" else
                f"difference {abs(diff):.3g} > {bound}")
        return Verdict(HOLDS, what, agrees, diff, se)
    if outside:
        what = (f"outside ±{tolerance:g} by more than {bound}" if relation == "≈" else
                f"opposite sign, difference {abs(diff):.3g} > {bound}")
        return Verdict(FAILS, what, agrees, diff, se)
    what = (f"straddles ±{tolerance:g} ({bound})" if relation == "≈" else
            f"difference {abs(diff):.3g} ≤ {bound}")
    return Verdict(INCONCLUSIVE, f"within the seed spread: {what}", agrees, diff, se)


@dataclass(frozen=True)
class Rule:
    """A compared claim's rule, declared with the claim before the runs: its two sides, the
    document's direction (or number and tolerance), and the zoo models behind each side
    (their base names; ``documents.seeded`` names the extra seeds), so that a test can check
    the sides had equal budgets, or that ``unequal_budget`` says why not."""

    relation: str                      # '<', '>' (first vs second) or '≈' (first vs the paper)
    sides: tuple[str, str]
    models: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    paper_value: float | None = None   # '≈': the document's number ...
    tolerance: float | None = None     # ... and the band around it that counts as reproduced
    fixed_second: bool = False         # the second side is not a trained model
    unequal_budget: str = ""           # why the sides' training budgets differ, if they do

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ValueError(f"relation: expected one of {RELATIONS}, got {self.relation!r}")
        if self.relation == "≈" and (self.paper_value is None or self.tolerance is None):
            raise ValueError("a '≈' rule needs the document's number (paper_value) and a "
                             "tolerance, declared before the runs")

    def decide(self, first, second=None) -> Verdict:
        """The verdict on per-run values; for '≈' the second side is the paper's number."""
        if self.relation == "≈":
            second = self.paper_value if second is None else second
            given = second.values if isinstance(second, Side) else (second,)
            if [float(v) for v in given] != [float(self.paper_value)]:
                raise ValueError(f"second: a '≈' rule compares with the document's number "
                                 f"{self.paper_value}, got {list(given)}")
        elif second is None:
            raise ValueError("second: expected the other side's values")
        return decide(self.relation, first, second, fixed_second=self.fixed_second,
                      tolerance=self.tolerance)

    def as_dict(self) -> dict:
        return {"relation": self.relation, "sides": list(self.sides),
                "models": [list(m) for m in self.models], "paper_value": self.paper_value,
                "tolerance": self.tolerance, "fixed_second": self.fixed_second,
                "unequal_budget": self.unequal_budget, "min_runs": MIN_RUNS, "z": Z}


def from_record(record: dict) -> Verdict:
    """Recompute a claims-table record's verdict from its per-run values (for the tests)."""
    rule = record["rule"]
    return decide(rule["relation"], record["first"], record["second"],
                  fixed_second=rule["fixed_second"] or rule["relation"] == "≈",
                  tolerance=rule["tolerance"], min_runs=rule["min_runs"], z=rule["z"])
