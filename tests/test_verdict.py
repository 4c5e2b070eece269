"""The book's verdict rule (gae_lib.verdict): three-way verdicts from per-run values, one-run
claims inconclusive by rule, numbers of the paper within a declared band; and the rules the
documents declare: every compared claim has one, and its sides had equal budgets or say why."""

import json
import math

import pytest
from conftest import REPO, assert_verdicts_follow_the_rule

from gae_lib import documents, verdict
from gae_lib.verdict import FAILS, HOLDS, INCONCLUSIVE, Rule, decide


def test_a_difference_beyond_two_standard_errors_decides_either_way():
    lower, higher = [1.0, 1.1, 0.9], [2.0, 2.1, 1.9]
    assert decide("<", lower, higher).verdict == HOLDS
    assert decide(">", lower, higher).verdict == FAILS
    v = decide("<", lower, higher)
    # Welch: sqrt(0.01/3 + 0.01/3)
    assert v.standard_error == pytest.approx(math.sqrt(2 * 0.01 / 3))
    assert v.difference == pytest.approx(-1.0) and v.agrees


def test_within_the_seed_spread_is_inconclusive_whatever_the_sign():
    v = decide("<", [1.0, 2.0, 3.0], [2.0, 3.0, 4.0])   # difference 1, 2 SE = 1.63
    assert (v.verdict, v.agrees) == (INCONCLUSIVE, True)
    assert v.reason.startswith("within the seed spread")
    assert decide(">", [0, 0, 0], [0, 0, 0]).verdict == INCONCLUSIVE   # no difference at all


def test_fewer_than_three_runs_a_side_is_inconclusive_by_rule():
    v = decide("<", [0.1], [0.9])
    assert (v.verdict, v.agrees) == (INCONCLUSIVE, True) and v.reason.startswith("by rule")
    assert decide("<", [0.1, 0.1, 0.1], [0.9, 0.9]).verdict == INCONCLUSIVE
    # a fixed side (not a trained model) needs no runs; the trained side still does
    assert decide(">", [0.9], 0.5, fixed_second=True).verdict == INCONCLUSIVE
    assert decide(">", [0.9, 0.91, 0.89], 0.5, fixed_second=True).verdict == HOLDS


def test_against_the_papers_number_the_band_decides():
    paper, band = 0.8676, 0.05
    assert decide("≈", [0.86, 0.87, 0.88], paper, tolerance=band).verdict == HOLDS
    far = decide("≈", [0.99, 0.995, 0.985], paper, tolerance=band)
    assert (far.verdict, far.agrees) == (FAILS, False)
    # a mean inside the band whose spread reaches past its edge
    assert decide("≈", [0.80, 0.95, 0.90], paper, tolerance=band).verdict == INCONCLUSIVE


@pytest.mark.parametrize("bad, match", [
    (dict(relation="<>", first=[1], second=[2]), "relation"),
    (dict(relation="<", first=[], second=[2]), "at least one value"),
    (dict(relation="<", first=[1, float("nan")], second=[2]), "finite"),
    (dict(relation="<", first=["a"], second=[2]), "numbers"),
    (dict(relation="≈", first=[1], second=1), "tolerance"),
])
def test_bad_input_is_a_clear_error(bad, match):
    with pytest.raises(ValueError, match=match):
        decide(bad.pop("relation"), bad.pop("first"), bad.pop("second"), **bad)


def test_a_rule_compares_with_the_number_it_declared():
    rule = Rule("≈", ("DCGAN", "paper"), paper_value=0.8676, tolerance=0.05)
    assert rule.decide([0.86, 0.87, 0.865]).verdict == HOLDS
    with pytest.raises(ValueError, match="document's number 0.8676"):
        rule.decide([0.86], 0.5)
    with pytest.raises(ValueError, match="paper_value"):
        Rule("≈", ("a", "b"))


def test_a_record_is_recomputed_from_its_runs():
    rule = Rule("<", ("AEGAN", "GAN"))
    first, second = [193.5, 180.2, 201.0], [139.1, 150.3, 141.8]
    v = rule.decide(first, second)
    record = {"rule": rule.as_dict(), "first": first, "second": second}
    assert verdict.from_record(record) == v and v.verdict == FAILS


STATED = {doc: getattr(module, "CLAIMS", {}) for doc, module in documents.DOCUMENTS.items()}


def budget(side: tuple[str, ...]) -> list[tuple[int, int, int]]:
    """(epochs, batch size, steps: 0 for whole epochs) of a side's models; an encoder trained
    after a frozen generator (E_NN) is not a budget of the generative model, the side's DCGAN
    is."""
    configs = [documents.config(name) for name in side]
    return sorted({(c.epochs, c.batch_size, c.steps) for c in configs
                   if c.family != "encoder-for-gan"})


@pytest.mark.parametrize("document", [d for d, c in STATED.items() if c])
def test_every_compared_claim_declares_its_rule_and_its_models_exist(document):
    for claim_id, stated in STATED[document].items():
        if not (stated.if_holds or stated.if_not or stated.rule):
            continue    # a number beside a number (e.g. a balanced accuracy): nothing compared
        assert stated.rule is not None, f"{document}:{claim_id} has no rule"
        for side in stated.rule.models:
            for name in side:
                documents.config(name)   # raises for a model no document configures


@pytest.mark.parametrize("document", [d for d, c in STATED.items() if c])
def test_the_sides_of_a_claim_had_equal_budgets_or_say_why(document):
    for claim_id, stated in STATED[document].items():
        rule = stated.rule
        if rule is None or not all(rule.models):
            continue
        budgets = [budget(side) for side in rule.models]
        if budgets[0] != budgets[1]:
            assert rule.unequal_budget, (
                f"{document}:{claim_id}: sides trained {budgets[0]} vs {budgets[1]} "
                f"(epochs, batch, steps) and the rule does not say why")


def test_the_books_own_findings_are_marked():
    own = {f"{d}:{c}" for d, claims in STATED.items() for c, s in claims.items()
           if s.own_finding}
    assert own == {"favuzzi2019:egd_separability"}


REFERENCES = sorted((REPO / "book" / "reference").glob("*.json"))


@pytest.mark.parametrize("reference", REFERENCES, ids=lambda p: p.stem)
def test_every_reference_verdict_follows_from_its_runs(reference):
    """The full-mode numbers the website shows: each verdict recomputed by its declared rule
    from the per-run values the reference JSON keeps."""
    claims = json.loads(reference.read_text())["values"].get("claims")
    if not claims:
        return   # a page without claims (the introduction)
    document = [d for d, stated in STATED.items() if stated and set(stated) == set(claims)]
    assert len(document) == 1, f"{reference.name}: no document has exactly these claims"
    assert_verdicts_follow_the_rule(claims, STATED[document[0]])
