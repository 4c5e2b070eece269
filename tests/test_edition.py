"""The chapters' lab, hand-out and solutions editions (gae_lib.edition), read as notebooks:
what JupyterLab shows of them is in test_lab.py."""
import json
import re

import pytest

from gae_lib import edition, reproduce
from gae_lib.book import toc_chapters

CHAPTERS = toc_chapters()
EXERCISES = [c for c in CHAPTERS if c != "book/intro"]


def code(notebook) -> list[str]:
    """The code cells' sources, the NBVAL_CHECK_OUTPUT line left out (the lab edition moves
    it from the first line to the last)."""
    return ["\n".join(line for line in "".join(c["source"]).splitlines()
                      if line != edition.CHECK_OUTPUT)
            for c in notebook["cells"] if c["cell_type"] == "code"]


def markdown(notebook) -> str:
    return "\n".join("".join(c["source"]) for c in notebook["cells"]
                     if c["cell_type"] == "markdown")


def tagged(notebook, tag: str) -> list[dict]:
    return [c for c in notebook["cells"] if tag in c["metadata"].get("tags", [])]


@pytest.fixture(scope="module", params=CHAPTERS)
def chapter(request):
    return request.param


@pytest.fixture(scope="module")
def editions(chapter):
    return {kind: edition.edition(chapter, kind) for kind in edition.EDITIONS}


def test_lab_edition_keeps_the_chapters_code_and_hides_its_bookkeeping(chapter, editions):
    lab = editions["lab"]
    assert code(lab) == code(edition.source_notebook(chapter))
    marked = ["".join(c["source"]) for c in lab["cells"] if edition.CHECK_OUTPUT in c["source"]]
    assert marked and all(not m.startswith(edition.CHECK_OUTPUT) for m in marked)
    for cell in lab["cells"]:
        if cell["cell_type"] == "code":
            hidden = cell["metadata"].get("jupyter", {}).get("source_hidden", False)
            assert hidden == bool(edition.HIDDEN_TAGS & set(cell["metadata"].get("tags", [])))
    assert "full-mode run" in lab["cells"][0]["source"]


def test_lab_edition_shows_the_reference_numbers_and_no_raw_markup(chapter, editions):
    # Before anything runs, each glued number is the book's, marked (jupyterlab-myst shows the
    # results stored in the cell's user_expressions); after, the reader's (test_lab.py).
    text = edition.before_running(markdown(editions["lab"]))
    assert not edition.RAW_MARKUP.search(text) and "{eval}" not in text
    assert "{glue" not in text and "{cite" not in text and "literalinclude" not in text
    values, _ = edition.reference_values(chapter)
    source = (edition.REPO_ROOT / f"{chapter}.md").read_text()
    for spec in set(edition.GLUE.findall(source)):
        shown = edition.glue_text(values, chapter, spec) + edition.BEFORE_RUN
        assert shown in text, f"{spec} -> {shown!r} not in the lab edition"
    for cell in editions["lab"]["cells"]:
        stored = cell["metadata"].get("user_expressions", [])
        assert [e["expression"] for e in stored] == edition.EVAL.findall("".join(cell["source"]))
        assert "".join(e["result"]["data"]["text/plain"] for e in stored) in \
            "".join(edition.before_running(f"{{eval}}`{e['expression']}`") for e in stored)


def test_the_prose_shows_the_value_this_kernel_glued_once_it_is_glued(monkeypatch):
    from gae_lib import book

    monkeypatch.setattr(book, "GLUED", {})
    (expression,) = edition.EVAL.findall(edition.live_glue(
        {"mse": 0.0123456}, "book/intro", "mse:.3f", shown := {}))
    assert repr(eval(expression)) == shown[expression] == "0.012\u2020"
    book.GLUED["mse"] = book.plain_text(0.04567)
    assert repr(eval(expression)) == "0.046"


def test_pages_without_jupyterlab_myst_show_the_prose_as_the_run_gave_it():
    role = edition.live_glue({"mse": 0.0123456}, "book/intro", "mse:.3f", {})
    glued = {"output_type": "display_data", "metadata": {"scrapbook": {
        "name": "mse", "mime_prefix": "application/papermill.record/"}},
        "data": {"application/papermill.record/text/plain": "0.04567"}}
    cells = [{"cell_type": "markdown", "source": f"before: {role}"},
             {"cell_type": "code", "source": "", "outputs": [glued]},
             {"cell_type": "markdown", "source": f"after: {role}"}]
    edition.prose_as_run(cells)
    assert [cells[0]["source"], cells[2]["source"]] == ["before: 0.012\u2020", "after: 0.046"]


def test_intro_numbers_and_citations_read_as_on_the_website():
    text = edition.before_running(markdown(edition.edition("book/intro")))
    assert "MNIST has 60,000\u2020 training and 10,000\u2020" in text
    assert "(Favuzzi et al., 2019)" in text and "## References" in text


@pytest.mark.parametrize("chapter", EXERCISES)
def test_solutions_are_closed_dropdowns_of_their_own_in_the_lab_edition(chapter):
    solutions = tagged(edition.edition(chapter), "solution")
    assert len(solutions) >= 3
    for cell in solutions:
        assert cell["cell_type"] == "markdown"
        assert re.match(r":{3,}\{dropdown\} Solution \d", cell["source"])
        assert ":open:" not in cell["source"]


@pytest.mark.parametrize("chapter", EXERCISES)
def test_handout_has_no_solutions_and_the_same_code(chapter):
    lab, handout = edition.edition(chapter), edition.edition(chapter, "handout")
    assert code(handout) == code(lab)
    # no "Solution N" dropdown (the word alone may be in a cited work's title)
    assert not tagged(handout, "solution") and not re.search(r"Solution \d", markdown(handout))
    for cell in tagged(lab, "solution"):
        assert edition.solution_code(cell["source"]) not in markdown(handout)


@pytest.mark.parametrize("chapter", EXERCISES)
def test_solutions_edition_puts_each_solution_in_its_answer_cell(chapter):
    lab, solved = edition.edition(chapter), edition.edition(chapter, "solutions")
    answers = [c for c in solved["cells"] if c["cell_type"] == "code"
               and "solution" in c["metadata"].get("tags", [])]
    dropdowns = tagged(lab, "solution")
    assert len(answers) == len(dropdowns) >= 3
    for number, (answer, dropdown) in enumerate(zip(answers, dropdowns), 1):
        assert "".join(answer["source"]) == edition.solution_code(dropdown["source"])
        compile("".join(answer["source"]), f"solution {number}", "exec")
        assert f"answer_{number} =" in "".join(answer["source"])
    explained = [c for c in tagged(solved, "solution") if c["cell_type"] == "markdown"]
    assert all(":open:" in c["source"] and "```python" not in c["source"] for c in explained)
    assert len(code(solved)) == len(code(lab))


def test_parameters_are_set_in_a_cell_after_the_parameters_cell():
    notebook = edition.edition("book/comparison-of-encodings", parameters={"QUICK": True})
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    first = next(i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", []))
    assert "QUICK = True" in cells[first + 1]["source"]
    assert cells[first + 1]["metadata"]["tags"] == ["injected-parameters"]


def test_a_stale_reference_is_an_error_naming_the_fix(tmp_path, monkeypatch):
    record = json.loads(reproduce.reference_path("book/intro").read_text())
    del record["values"]["n_mnist_train"]
    (tmp_path / "intro.json").write_text(json.dumps(record))
    monkeypatch.setattr(reproduce, "REFERENCES", tmp_path)
    with pytest.raises(edition.EditionError, match="n_mnist_train.*reproduce book/intro --write"):
        edition.edition("book/intro")
    (tmp_path / "intro.json").unlink()
    with pytest.raises(edition.EditionError, match="intro.json is missing"):
        edition.edition("book/intro")


def test_markup_the_edition_cannot_show_is_an_error():
    works = edition.bibliography()
    with pytest.raises(edition.EditionError, match="only \\{glue:text\\}"):
        edition.convert_markdown("{glue:figure}`x`", "book/intro", {}, works, [], {})
    with pytest.raises(edition.EditionError, match="nosuchkey"):
        edition.convert_markdown("{cite}`nosuchkey`", "book/intro", {}, works, [], {})


def test_citations_read_author_year():
    works, cited = edition.bibliography(), []
    assert edition.cite_text("favuzzi2019", None, works, "x", cited) == "(Favuzzi et al., 2019)"
    assert edition.cite_text("wanare", "t", works, "x", cited) == "Wanare (n.d.)"
    assert edition.cite_text("goodfellow2014,kingma2014", None, works, "x", cited) == (
        "(Goodfellow et al., 2014; Kingma and Welling, 2014)")
    assert cited == ["favuzzi2019", "wanare", "goodfellow2014", "kingma2014"]
    assert "Léon" in works["lecun1998"]["author"]


def test_a_notebook_a_student_edited_is_kept(tmp_path, capsys):
    first = edition.write_lab(["book/intro"], tmp_path)
    assert first == [tmp_path / "intro.ipynb"]
    assert edition.write_lab(["book/intro"], tmp_path) == [first[0]]   # unchanged: rewritten
    notebook = json.loads(first[0].read_text())
    notebook["cells"][2]["source"] = "N_SHOW = 99  # my change"
    first[0].write_text(json.dumps(notebook))
    assert edition.write_lab(["book/intro"], tmp_path) == []
    assert "my change" in first[0].read_text()
    edited = edition.write_lab(["book/intro"], tmp_path, parameters={"book/intro": {"SEED": 3}})
    assert edited == [] and "kept your edited" in capsys.readouterr().out
    assert edition.write_lab(["book/intro"], tmp_path, force=True) == [first[0]]
    assert "my change" not in first[0].read_text()


def test_cli_writes_handouts_and_rejects_bad_parameters(tmp_path, capsys):
    assert edition.main(["handout", "book/intro", "--out", str(tmp_path), "-p", "SEED", "2"]) == 0
    for folder in ("student", "solutions"):
        notebook = json.loads((tmp_path / folder / "intro.ipynb").read_text())
        assert "SEED = 2" in code(notebook)[1]
    assert edition.main(["handout", "--out", str(tmp_path), "-p", "NOPE", "1"]) == 1
    assert "no chapter has a parameter NOPE" in capsys.readouterr().err
    assert edition.main(["handout", "--out", str(tmp_path), "-p", "QUICK", "yes please"]) == 1
    assert "expected a Python literal" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        edition.main(["lab", "book/nope"])
