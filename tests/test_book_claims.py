"""The claims API the chapters share: a claim's outcome is the relation of its numbers, the
verdict sentence follows it, and the table refuses a chapter that skipped a claim."""

import pytest

from gae_lib import book


@pytest.fixture
def glued(monkeypatch):
    values = {}
    monkeypatch.setattr(book, "glue", lambda name, value: values.__setitem__(name, value))
    return values


STATED = {
    "lower": book.Stated("error, A vs B", "A lower", "A is lower, as stated",
                         "A is not lower: {ours}"),
    "plain": book.Stated("a number", "42"),
}


def test_compare_records_the_relation_and_glues_the_verdict(glued):
    claims = book.Claims(STATED)
    c = claims.compare("lower", 0.5, "<", 0.25, computed_in="here", fmt=".2f", labels=("A", "B"))
    assert c.holds is False and c.value == 0.5 and c.versus == 0.25
    assert c.ours == "A 0.50 vs B 0.25"
    assert glued["lower_verdict"] == "A is not lower: A 0.50 vs B 0.25"
    assert claims.compare("lower", 0.1, "<", 0.25, computed_in="here").holds is True
    assert glued["lower_verdict"] == "A is lower, as stated"


def test_table_needs_every_claim_and_counts_agreements(glued):
    claims = book.Claims(STATED)
    claims.compare("lower", 0.1, "<", 0.25, computed_in="here")
    with pytest.raises(ValueError, match="not checked by the chapter: plain"):
        claims.table()
    claims.check("plain", ours="41", holds=None, computed_in="there")
    assert "| a number | 42 | 41 | — | there |" in claims.table().data
    assert (glued["n_agree"], glued["n_compared"]) == (1, 1)


def test_unknown_claims_and_relations_are_clear_errors():
    claims = book.Claims(STATED)
    with pytest.raises(KeyError, match="expected one of lower, plain"):
        claims.check("other", ours="", holds=True, computed_in="")
    with pytest.raises(ValueError, match="relation"):
        claims.compare("lower", 1, "~", 2, computed_in="")
