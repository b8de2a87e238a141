"""Files uploaded in the browser, kept where ingestion can read them again (a re-ingest of
the store's uploads folder finds them), without one session's file replacing another's.

Each upload goes to `uploads/<sha256 of its bytes, 16 hex>/<its name>`: two sessions that
upload different files under one name never write the same path. The article id is the
file's stem, as for any ingested file; when that id already belongs to a different file,
the upload is saved as `<stem>-<hash 8>` instead, so it is added beside the other rather
than refused. An upload that is not added (unreadable, a duplicate) is deleted again.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from pathlib import Path

from assistant.atomic import write_atomically
from assistant.settings import Settings
from assistant.store import Store
from assistant.types import IngestReport
from ingest.pipeline import Progress, ingest_paths

KEPT = ("added", "updated", "unchanged")


def save_uploads(
    files: Iterable[tuple[str, bytes]], settings: Settings, store: Store
) -> list[Path]:
    """Write each (file name, bytes) under the store's uploads folder; the paths to ingest."""
    taken = store.metas()
    paths = []
    for name, data in files:
        digest = hashlib.sha256(data).hexdigest()
        safe = Path(name).name or "upload.txt"
        folder = settings.store.dir / "uploads" / digest[:16]
        stem, suffix = Path(safe).stem, Path(safe).suffix
        if stem in taken and _source_of(store, stem) not in (None, folder / safe):
            safe = f"{stem}-{digest[:8]}{suffix}"
        path = folder / safe
        folder.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            write_atomically(path, data)
        paths.append(path)
    return paths


def ingest_uploads(
    files: Iterable[tuple[str, bytes]],
    settings: Settings,
    store: Store,
    progress: Progress | None = None,
) -> IngestReport:
    """Save and ingest uploaded files; those not added leave nothing behind."""
    paths = save_uploads(files, settings, store)
    report = ingest_paths(paths, settings, store=store, progress=progress)
    for outcome in report.outcomes:
        if outcome.status not in KEPT:
            _remove(Path(outcome.path))
    return report


def _source_of(store: Store, article_id: str) -> Path | None:
    article = store.catalog.article(article_id)
    return Path(article.source_path) if article and article.source_path else None


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # its hash folder, when nothing else is in it
