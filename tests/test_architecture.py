"""The shape of the code: stages import downward only (the import-linter contracts in
pyproject.toml), and every module of the assistant sits in one of the layers."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def test_imports_point_one_way(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename="pyproject.toml") == 0


def test_every_module_and_package_of_the_assistant_is_in_a_layer():
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    top = {
        f"assistant.{p.stem}" if p.is_file() else f"assistant.{p.name}"
        for p in (ROOT / "assistant").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()
    }
    assert top - placed == set()
    assert placed - top - {"ingest"} == set()


BACKEND_NAMES = {"local", "openai", "extractive"}
# Where a backend's name may be compared: choosing the model (and the embedder), and
# checking the CLI option.
CHOOSERS = {
    "assistant/llm/chat.py",
    "assistant/settings.py",
    "assistant/ui/cli.py",
    "assistant/embedding.py",
}


def test_no_code_branches_on_a_backends_name():
    """Code asks a model's Capabilities; only the model's maker reads the backend's name."""
    found = []
    for path in sorted((ROOT / "assistant").rglob("*.py")):
        name = str(path.relative_to(ROOT))
        if name in CHOOSERS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                names = {o.value for o in operands if isinstance(o, ast.Constant)}
                if names & BACKEND_NAMES:
                    found.append(f"{name}:{node.lineno}")
    assert found == []
