"""The claims API the chapters share: a claim's direction is the relation of its numbers, its
verdict the declared rule's on the per-run values, the sentence follows both, and the table
refuses a chapter that skipped a claim and never counts the book's own findings."""

import pytest

from gae_lib import book
from gae_lib.verdict import Rule


@pytest.fixture
def glued(monkeypatch):
    values = {}
    monkeypatch.setattr(book, "glue", lambda name, value: values.__setitem__(name, value))
    return values


STATED = {
    "lower": book.Stated("error, A vs B", "A lower", "A is lower, as stated",
                         "A is not lower: {ours}", rule=Rule("<", ("A", "B"))),
    "plain": book.Stated("a number", "42"),
    "extra": book.Stated("C beats a bar", "yes", rule=Rule(">", ("C", "bar"), fixed_second=True),
                         own_finding=True),
}


def test_compare_records_the_direction_the_verdict_and_glues_the_sentence(glued):
    claims = book.Claims(STATED)
    c = claims.compare("lower", 0.5, "<", 0.25, computed_in="here", fmt=".2f")
    assert c.agrees is False and c.value == 0.5 and c.versus == 0.25
    assert (c.first, c.second) == ([0.5], [0.25])
    assert c.ours == "A 0.50 (1 run) vs B 0.25 (1 run)"
    assert c.verdict == "inconclusive" and c.reason.startswith("by rule")
    assert glued["lower_verdict"].startswith("A is not lower: A 0.50 (1 run) vs B 0.25 (1 run) "
                                             "(one training run: inconclusive by the book's rule")
    c = claims.compare("lower", [0.1, 0.11, 0.09], "<=", [0.25, 0.26, 0.24], computed_in="here")
    assert (c.agrees, c.verdict) == (True, "holds") and c.value == pytest.approx(0.1)
    assert c.ours == "A 0.1000 ± 0.0100 (3 runs) vs B 0.2500 ± 0.0100 (3 runs)"
    assert glued["lower_verdict"] == ("A is lower, as stated (beyond twice the standard error "
                                      "over the seeds)")
    c = claims.compare("lower", [0.1, 0.3, 0.2], "<", [0.25, 0.26, 0.24], computed_in="here")
    assert (c.agrees, c.verdict) == (True, "inconclusive")
    assert glued["lower_verdict"].endswith("(within twice the standard error over the seeds: "
                                           "inconclusive)")


def test_table_needs_every_claim_counts_verdicts_and_not_the_books_own(glued):
    claims = book.Claims(STATED)
    claims.compare("lower", [0.1, 0.11, 0.09], "<", [0.25, 0.26, 0.24], computed_in="here")
    with pytest.raises(ValueError, match="not checked by the chapter: plain, extra"):
        claims.table()
    claims.check("plain", ours="41", agrees=None, computed_in="there")
    claims.compare("extra", [0.9, 0.91, 0.92], ">", 0.5, computed_in="there")
    table = claims.table().data
    assert "| a number | 42 | 41 | — | — | there |" in table
    assert "C beats a bar *(the book's own finding, not counted)*" in table
    assert "| **holds** (difference 0.41 > 2 SE = 0.0115) | there |" in table
    assert (glued["n_agree"], glued["n_compared"]) == (1, 1)
    assert (glued["n_holds"], glued["n_fails"], glued["n_inconclusive"]) == (1, 0, 0)
    assert glued["claims"]["extra"]["own_finding"] is True


def test_a_hand_checked_claim_rests_on_one_run():
    claims = book.Claims(STATED)
    c = claims.check("lower", ours="A below B", agrees=True, computed_in="here")
    assert c.verdict == "inconclusive" and c.reason.startswith("by rule")


def test_unknown_claims_relations_and_missing_rules_are_clear_errors():
    claims = book.Claims(STATED)
    with pytest.raises(KeyError, match="expected one of lower, plain"):
        claims.check("other", ours="", agrees=True, computed_in="")
    with pytest.raises(ValueError, match="relation"):
        claims.compare("lower", 1, "~", 2, computed_in="")
    with pytest.raises(ValueError, match="declared rule with '<'"):
        claims.compare("lower", 1, ">", 2, computed_in="")
    with pytest.raises(ValueError, match="needs its rule declared"):
        claims.compare("plain", 1, "<", 2, computed_in="")
    with pytest.raises(ValueError, match="finite"):
        claims.compare("lower", [1, float("inf")], "<", 2, computed_in="")
