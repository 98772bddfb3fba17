"""App dependencies point one way: countries <- missions <- newswatch <- timeline <-
dashboard <- api. An app may import the apps before it, never those after it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
ORDER = ["countries", "missions", "newswatch", "timeline", "dashboard", "api"]


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names & set(ORDER)


@pytest.mark.parametrize("app", ORDER)
def test_an_app_imports_only_the_apps_before_it(app):
    later = set(ORDER[ORDER.index(app) + 1 :])
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) & later)
        for path in (ROOT / app).rglob("*.py")
        if _imported_apps(path) & later
    }
    assert wrong == {}
