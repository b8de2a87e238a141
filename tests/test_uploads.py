"""Uploads: content-addressed, never overwritten by another session, nothing left when skipped."""

from __future__ import annotations

import shutil

import pytest

from assistant.settings import Settings
from assistant.store import Store
from ingest.uploads import ingest_uploads

ARTICLE_A = "Встреча в Душанбе прошла 9 октября. Стороны обсудили транзит грузов и тарифы.\n"
ARTICLE_B = "Паром из Баку принял 40 судов в ноябре. Терминал работал без перерывов весь месяц.\n"


@pytest.fixture
def store(tmp_path, corpus_store_dir, embedder):
    shutil.copy(corpus_store_dir / "vectors.sqlite", tmp_path / "vectors.sqlite")
    s = Store(Settings(store={"dir": tmp_path}), embedder)
    yield s
    s.close()


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_two_sessions_uploading_one_name_keep_both_files(store):
    first = ingest_uploads([("note.txt", ARTICLE_A.encode())], store.settings, store)
    second = ingest_uploads([("note.txt", ARTICLE_B.encode())], store.settings, store)
    assert [o.status for o in first.outcomes] == ["added"]
    assert [o.status for o in second.outcomes] == ["added"]
    ids = {first.outcomes[0].article_id, second.outcomes[0].article_id}
    assert len(ids) == 2 and "note" in ids
    texts = {store.catalog.article(i).text.strip() for i in ids}
    assert texts == {ARTICLE_A.strip(), ARTICLE_B.strip()}
    again = ingest_uploads([("note.txt", ARTICLE_A.encode())], store.settings, store)
    assert [o.status for o in again.outcomes] == ["unchanged"]


@pytest.mark.parametrize(
    "name, data, status",
    [("empty.txt", b"", "skipped"), ("junk.docx", b"not a docx", "skipped")],
)
def test_a_skipped_upload_leaves_nothing_behind(store, name, data, status):
    report = ingest_uploads([(name, data)], store.settings, store)
    assert [o.status for o in report.outcomes] == [status]
    assert files_under(store.settings.store.dir / "uploads") == []


def test_a_duplicate_upload_leaves_nothing_behind(store):
    ingest_uploads([("one.txt", ARTICLE_A.encode())], store.settings, store)
    report = ingest_uploads([("two.txt", ARTICLE_A.encode())], store.settings, store)
    assert [o.status for o in report.outcomes] == ["duplicate"]
    assert [p.split("/")[-1] for p in files_under(store.settings.store.dir / "uploads")] == [
        "one.txt"
    ]
