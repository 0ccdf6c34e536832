"""The layers hold and nothing imports in a circle (the same check as `make lint`)."""

from __future__ import annotations

import collections
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def _package(module: str) -> str:
    """bot.messaging.router -> bot.messaging; actions.tips -> actions."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "bot" and len(parts) > 1 else parts[0]


def test_the_layers_contract_is_kept() -> None:
    """pyproject.toml [tool.importlinter]: CLI > gateway/console/actions > channels >
    messaging > store, never upwards (checked on the real import graph)."""
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_no_package_imports_another_that_imports_it_back() -> None:
    graph = grimp.build_graph("bot", "actions")
    edges: dict[str, set[str]] = collections.defaultdict(set)
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if _package(module) != _package(imported):
                edges[_package(module)].add(_package(imported))
    # Any cycle between packages, of any length (depth-first search).
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []
