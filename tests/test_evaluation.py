"""Retrieval evaluation: the metric maths on hand-computed cases, the question-file format
(and its errors), and `assistant eval` end to end over the sample-corpus store."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.retrieval.evaluation import (
    QuestionFileError,
    doc_coverage,
    evaluate,
    first_hit_rank,
    load_questions,
    normalise,
    summarise,
)
from assistant.types import Question, Ranking
from assistant.ui.cli import app
from tests.conftest import CORPUS, assistant_cli

QUESTIONS = Path(__file__).parent / "data" / "eval_questions.jsonl"
TOP_KEYS = {"k", "n", "recall_at_1", "recall_at_5", "recall_at_10", "mrr", "doc_recall_at_5"}
OPTIONAL_KEYS = {"mode", "doc_coverage_at_5", "unanswerable"}


def exactly(fraction: Fraction):
    return pytest.approx(float(fraction), abs=1e-12)


def question(qid: str, lang: str = "en", gold=("a",), **extra) -> Question:
    return Question(
        id=qid,
        lang=lang,
        question=f"question {qid}?",
        gold_docs=list(gold),
        evidence=[] if extra.get("unanswerable") else [f"evidence {qid}"],
        expect=[],
        **extra,
    )


def ranking(q: Question, rank: int | None, articles: list[str], score: float = 0.5) -> Ranking:
    return Ranking(question=q, rank=rank, article_ids=articles, top_score=score)


# -- evidence hits ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("chunks", "evidence", "rank"),
    [
        (["no", "Россия теряет влияние на Кавказе"], ["россия теряет влияние"], 2),
        (["Россия  теряет\nВЛИЯНИЕ"], ["россия теряет влияние"], 1),  # runs of whitespace, case
        (['ракети "Панцир", яка'], ['  Ракети   "ПАНЦИР"\n'], 1),  # evidence side normalised
        (["a\u00a0b c"], ["A B\tC"], 1),  # no-break space and tab are whitespace too
        (["first", "second hit", "third hit"], ["nothing", "HIT"], 2),  # any excerpt, first chunk
        (["Россия теряет"], ["россия теряет влияние"], None),  # the whole excerpt must be there
        (["anything"], [], None),  # unanswerable: nothing can hit
        (["anything"], ["", "   "], None),  # a blank excerpt is no excerpt
        ([], ["x"], None),
    ],
)
def test_first_hit_rank(chunks, evidence, rank):
    assert first_hit_rank(chunks, evidence) == rank


def test_normalise_collapses_whitespace_and_lowercases():
    assert normalise("  Баку –\n\tМОСКВА  ") == "баку – москва"


# -- metric maths ----------------------------------------------------------------------
def test_summarise_hand_computed():
    # ranks 1, 3, 7 and not found: hits within 1 / 5 / 10 = 1 / 2 / 3 of 4
    metrics = summarise([1, 3, 7, None], [True, True, False, False])
    assert metrics.n == 4
    assert metrics.recall_at_1 == exactly(Fraction(1, 4))
    assert metrics.recall_at_5 == exactly(Fraction(2, 4))
    assert metrics.recall_at_10 == exactly(Fraction(3, 4))
    assert metrics.mrr == exactly((1 + Fraction(1, 3) + Fraction(1, 7) + 0) / 4)  # 31/84
    assert metrics.doc_recall_at_5 == exactly(Fraction(2, 4))


def test_summarise_of_nothing_is_zero():
    metrics = summarise([], [])
    assert (metrics.n, metrics.recall_at_10, metrics.mrr, metrics.doc_recall_at_5) == (0, 0, 0, 0)


def test_doc_coverage_counts_every_gold_article():
    # 2 of 3 gold articles found, then 0 of 1: 2 of 4 in all
    cases = [(["a", "b", "c"], ["a", "x", "b", "a"]), (["d"], ["a"])]
    assert doc_coverage(cases) == exactly(Fraction(2, 4))
    assert doc_coverage([]) is None


def test_evaluate_hand_computed():
    en1, en2 = question("e1"), question("e2", gold=("b",))
    ru1 = question("r1", lang="ru", gold=("a", "b"), multi=True)
    none = question("u1", gold=(), unanswerable=True)
    rankings = [
        ranking(en1, 1, ["a", "c", "c", "c", "c", "c"]),
        ranking(en2, 4, ["a", "c", "c", "b", "b", "c"]),  # gold b first at rank 4
        ranking(ru1, None, ["c"] * 5 + ["a"]),  # gold a only at rank 6: not in top 5
        ranking(none, None, ["c", "a"], score=0.9),  # would count as a miss if not excluded
    ]
    report = evaluate(rankings, k=3, mode="dense")

    assert report.overall.n == 3
    assert report.overall.recall_at_1 == exactly(Fraction(1, 3))
    assert report.overall.recall_at_5 == exactly(Fraction(2, 3))
    assert report.overall.mrr == exactly((1 + Fraction(1, 4)) / 3)
    assert report.overall.doc_recall_at_5 == exactly(Fraction(2, 3))
    assert report.doc_coverage_at_5 == 0.0  # r1's gold a and b are both missing from top 5
    assert list(report.by_lang) == ["en", "ru"]
    assert report.by_lang["en"].n == 2
    assert report.by_lang["en"].mrr == exactly((1 + Fraction(1, 4)) / 2)
    assert report.by_lang["ru"].recall_at_10 == 0.0

    assert [(m.id, m.rank, m.article_ids) for m in report.misses] == [
        ("e2", 4, ["a", "c", "c"]),  # found, but below k=3; only the top k are listed
        ("r1", None, ["c", "c", "c"]),
    ]
    assert [u.model_dump() for u in report.unanswerable] == [
        {"id": "u1", "question": "question u1?", "top_score": 0.9, "top_article_id": "c"}
    ]
    assert set(report.as_json()) == TOP_KEYS | OPTIONAL_KEYS | {"by_lang", "misses"}


def test_only_unanswerable_questions_give_zero_metrics():
    report = evaluate([ranking(question("u", unanswerable=True), None, [])], k=5, mode="hybrid")
    assert report.overall.n == 0 and report.by_lang == {} and report.misses == []
    assert report.unanswerable[0].top_article_id is None  # nothing was retrieved


# -- the question file -----------------------------------------------------------------
def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


LINE = json.dumps(
    {
        "id": "q1",
        "lang": "uk",
        "question": "Що сталося?\u2028Друга частина",  # a line separator inside a string
        "gold_docs": ["002_811401800cfb28a0"],
        "evidence": ["всі причетні будуть покарані"],
        "expect": ["покаран"],
    },
    ensure_ascii=False,
)


def test_load_questions_reads_the_format(tmp_path):
    unanswerable = {
        "id": "q2",
        "lang": "en",
        "question": "Mars?",
        "gold_docs": [],
        "evidence": [],
        "expect": [],
        "unanswerable": True,
    }
    path = write_lines(tmp_path, LINE, "", json.dumps(unanswerable), "   ")
    first, second = load_questions(path)
    assert first.question == "Що сталося?\u2028Друга частина"
    assert (first.multi, first.unanswerable) == (False, False)  # optional, default false
    assert second.unanswerable and second.gold_docs == []


def test_the_sample_question_file_quotes_the_corpus():
    questions = load_questions(QUESTIONS)
    assert 4 <= len(questions) <= 6
    for q in questions:
        for excerpt in q.evidence:
            texts = [normalise((CORPUS / f"{doc}.txt").read_text()) for doc in q.gold_docs]
            assert any(normalise(excerpt) in t for t in texts), (q.id, excerpt)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"id": "q9", "lang": "en",', "not valid JSON"),
        ('["q9", "en"]', "expected a JSON object, got list"),
        ('{"id": "q9", "lang": "en", "gold_docs": [], "evidence": [], "expect": []}', "question"),
        (LINE.replace('"gold_docs": [', '"gold_docs": "a", "x": ['), "gold_docs"),
        (LINE, "duplicate id 'q1' (first on line 1)"),
    ],
)
def test_a_malformed_line_names_file_and_line(tmp_path, bad_line, message):
    path = write_lines(tmp_path, LINE, "", bad_line)
    with pytest.raises(QuestionFileError) as caught:
        load_questions(path)
    assert str(caught.value).startswith(f"{path}:3: ")
    assert message in str(caught.value)


def test_unreadable_files(tmp_path):
    with pytest.raises(QuestionFileError, match="No such file"):
        load_questions(tmp_path / "missing.jsonl")
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes('{"question": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(QuestionFileError, match="not UTF-8"):
        load_questions(latin1)


@pytest.mark.parametrize("content", [None, '{"id": "q1"\n'])
def test_cli_exits_2_with_one_line_for_a_bad_file(tmp_path, content):
    path = tmp_path / "questions.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(path)], env={"COLUMNS": "60"})
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]


# -- end to end ------------------------------------------------------------------------
def run_eval(store_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return assistant_cli(store_dir, "eval", str(QUESTIONS), *args)


@pytest.mark.slow
def test_cli_eval_json(corpus_store_dir):
    result = run_eval(corpus_store_dir, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (
        TOP_KEYS | {"by_lang", "misses"}
        <= set(report)
        <= TOP_KEYS
        | OPTIONAL_KEYS
        | {
            "by_lang",
            "misses",
        }
    )
    assert (report["k"], report["n"], report["mode"]) == (5, 5, "hybrid")
    assert set(report["by_lang"]) == {"en", "ru", "uk"}
    assert set(report["by_lang"]["en"]) == {
        "n",
        "recall_at_1",
        "recall_at_5",
        "recall_at_10",
        "mrr",
        "doc_recall_at_5",
    }
    assert report["recall_at_1"] <= report["recall_at_5"] <= report["recall_at_10"]
    assert report["recall_at_10"] > 0  # the excerpts are quoted verbatim: some must be found
    for miss in report["misses"]:
        assert miss["rank"] is None or miss["rank"] > 5
        assert len(miss["article_ids"]) <= 5
    assert [u["id"] for u in report["unanswerable"]] == ["t06"]
    assert report["unanswerable"][0]["top_article_id"] is not None


@pytest.mark.slow
def test_cli_eval_tables_list_the_misses(corpus_store_dir):
    # at k=1 at least every question whose evidence is not ranked first is a miss
    as_json = json.loads(run_eval(corpus_store_dir, "--json", "--k", "1", "--mode", "dense").stdout)
    result = run_eval(corpus_store_dir, "--k", "1", "--mode", "dense")
    assert result.returncode == 0, result.stderr
    assert "Retrieval evaluation (dense)" in result.stdout
    for miss in as_json["misses"]:
        assert miss["id"] in result.stdout
    assert "t06" in result.stdout  # the unanswerable question, listed apart
