"""The engine's modules form no import cycle, counting imports made inside functions.

A cycle hidden in a function (``from .runner import run_policy`` inside a method) works
until someone reorders the imports, and it makes the modules impossible to read one at a
time. grimp (the graph builder behind import-linter) reads every import statement,
wherever it stands, so a late import cannot slip past this test.
"""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

import grimp

PACKAGE = "simulator"


def _engine_graph() -> dict[str, set[str]]:
    graph = grimp.build_graph(PACKAGE, cache_dir=None)
    modules = graph.find_descendants(PACKAGE) | {PACKAGE}
    return {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    try:
        TopologicalSorter(edges).prepare()
    except CycleError as error:
        return list(error.args[1])
    return None


def test_the_graph_sees_function_level_imports() -> None:
    edges = _engine_graph()
    assert "simulator.sandbox" in edges and edges["simulator.sandbox"], "graph came out empty"
    # signals.py imports the grader inside a function: the graph must see such imports
    graph = grimp.build_graph(PACKAGE, "grader", cache_dir=None)
    assert graph.direct_import_exists(importer="simulator.signals", imported="grader.outreach")


def test_the_cycle_check_catches_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_among_engine_modules() -> None:
    cycle = _cycle(_engine_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])
