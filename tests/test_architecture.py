"""The layout rules of docs/ARCHITECTURE.md, checked on the source (AST, no imports run).

* No import circle among the modules of ``scheduler_core`` and ``webapp`` (every import
  counts: top-level, inside functions and under ``TYPE_CHECKING``).
* ``scheduler_core`` imports neither streamlit nor sqlmodel/sqlalchemy nor ``webapp``.
* Pages import only ``webapp`` (plus streamlit, pandas and the standard library) and handle
  errors with ``ui.guarded`` instead of ``try``/``except``.
* No module is longer than :data:`MAX_LINES` lines (migrations excepted); every module
  states its idea in a docstring, and at least :data:`MIN_DOCSTRINGS` of the public
  functions, classes and methods have one.
* Every module has a test module of its name (``tests/`` mirrors the packages).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scheduler_core", "webapp")
MAX_LINES = 450
MIN_DOCSTRINGS = 0.9
#: Modules whose behaviour is tested through another test module (named here, with why).
TESTED_ELSEWHERE = {
    "scheduler_core/__main__.py": "tests/scheduler_core/test_cli.py runs the CLI",
    "webapp/__main__.py": "tests/webapp/test_cli.py runs `python -m webapp`",
    "scheduler_core/progress.py": "its helpers are exercised by every planner test",
    "scheduler_core/shop/optimise/coords.py": "tests/scheduler_core/shop/optimise/test_portfolio.py",
    "scheduler_core/shop/optimise/cpsat.py": "tests/scheduler_core/shop/optimise/test_portfolio.py",
    "scheduler_core/shop/optimise/search.py": "tests/scheduler_core/shop/optimise/test_portfolio.py",
    "scheduler_core/shop/io/columns.py": "tests/scheduler_core/shop/io/test_read.py",
    "webapp/ui/change_set.py": "tests/pages/test_shop_board.py, test_shop_machines.py and test_shop_work_orders.py "
                               "drive it through the pages",
    "webapp/ui/master_forms.py": "tests/pages/test_shop_work_orders.py, test_shop_machines.py and "
                                 "test_shop_products.py drive its forms and dialogs through the pages",
    "scheduler_core/reports/pdf_layout.py": "tests/scheduler_core/reports/test_pdf.py",
    "scheduler_core/reports/pdf_gantt.py": "tests/scheduler_core/reports/test_pdf.py",
    "scheduler_core/filling/catalog.py": "tests/scheduler_core/filling/test_planner.py (strategy table)",
    "scheduler_core/filling/strategy.py": "tests/scheduler_core/filling/test_planner.py",
    "webapp/db/engine.py": "tests/webapp/test_migrations.py and every database test",
    "webapp/db/models.py": "tests/webapp/db/repos/*",
    "webapp/db/shop_models.py": "tests/webapp/test_shop_migration.py",
    "webapp/ui/session.py": "tests/pages/*",
    "webapp/ui/uploads.py": "tests/pages/test_new_schedule.py",
    "webapp/ui/config_editor.py": "tests/pages/test_new_schedule.py, test_templates.py",
    "webapp/ui/progress.py": "tests/pages/test_compare.py",
    "webapp/ui/shop_widgets.py": "tests/pages/test_shop_*.py",
    "webapp/ui/shop_charts.py": "tests/pages/test_shop_board.py, test_shop_machines.py and test_shop_whatif.py; "
                                "the selection mapping in tests/webapp/charts/",
    "webapp/ui/account.py": "tests/webapp/ui/test_login.py",
    "webapp/charts/common.py": "tests/webapp/charts/*",
    "webapp/settings.py": "tests/webapp/test_settings.py",
}


def _modules(*roots: str) -> Iterator[Path]:
    for root in roots:
        for path in sorted((ROOT / root).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _all_modules() -> dict[str, Path]:
    return {_name(p): p for p in _modules(*PACKAGES)}


def _imports(path: Path) -> Iterator[str]:
    """Every module name imported anywhere in ``path`` (``from a import b`` names ``a.b``
    when that is a module, else ``a``)."""
    known = _all_modules()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if full in known else base


def _graph() -> dict[str, set[str]]:
    known = _all_modules()
    return {
        name: {m for m in _imports(path) if m in known and m != name}
        for name, path in known.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_circle():
    assert _cycles(_graph()) == []


def test_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_core_imports_no_app_or_database():
    forbidden = ("streamlit", "sqlmodel", "sqlalchemy", "webapp")
    bad = {
        _name(p): sorted(m for m in _imports(p) if m.split(".")[0] in forbidden)
        for p in _modules("scheduler_core")
    }
    assert {k: v for k, v in bad.items() if v} == {}


def _stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")) + [ROOT / "streamlit_app.py"], ids=lambda p: p.name)
def test_pages_import_only_webapp_and_guard_errors(page):
    allowed = ("webapp", "streamlit", "pandas")
    imported = set(_imports(page))
    assert {m for m in imported if m.split(".")[0] not in allowed and not _stdlib(m)} == set()
    tree = ast.parse(page.read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Try)], "pages use ui.guarded, not try/except"


@pytest.mark.parametrize("path", list(_modules(*PACKAGES, "pages")), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_short_and_states_its_idea(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES
    assert ast.get_docstring(ast.parse(text)), "module docstring missing"


def _public_definitions(path: Path) -> Iterator[tuple[str, bool]]:
    """(qualified name, has a docstring) of public functions, classes and methods."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for node in tree.body:
        if isinstance(node, kinds) and not node.name.startswith("_"):
            yield node.name, ast.get_docstring(node) is not None
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, kinds[:2]) and not item.name.startswith("_"):
                        yield f"{node.name}.{item.name}", ast.get_docstring(item) is not None


def docstring_coverage() -> tuple[int, int, list[str]]:
    """(documented, public definitions, the undocumented ones) over scheduler_core and webapp."""
    found = [(f"{_name(p)}.{q}", ok) for p in _modules(*PACKAGES) for q, ok in _public_definitions(p)]
    missing = [q for q, ok in found if not ok]
    return len(found) - len(missing), len(found), missing


def test_public_definitions_are_documented():
    documented, total, missing = docstring_coverage()
    assert documented / total >= MIN_DOCSTRINGS, missing


def _test_file(path: Path) -> Path:
    rel = path.relative_to(ROOT)
    name = rel.stem if rel.name != "__init__.py" else rel.parent.name
    folder = rel.parent if rel.name != "__init__.py" else rel.parent.parent
    return ROOT / "tests" / folder / f"test_{name}.py"


def test_tests_mirror_the_modules():
    untested = []
    for path in _modules(*PACKAGES):
        rel = str(path.relative_to(ROOT))
        if path.name == "__init__.py" or rel in TESTED_ELSEWHERE:
            continue
        if not _test_file(path).exists():
            untested.append(rel)
    assert untested == []


if __name__ == "__main__":  # pragma: no cover - a report for the docs
    documented, total, missing = docstring_coverage()
    print(f"docstrings: {documented}/{total} public definitions ({100 * documented / total:.1f} %)")
    for q in missing:
        print("  missing:", q)


#: Where ``st.dataframe`` / ``st.data_editor`` may be called: everything else goes through
#: ``webapp.ui.table`` / ``editor``, so every table gets its formats and the missing-value mark.
TABLE_MODULE = ROOT / "webapp" / "ui" / "tables.py"


def _raw_table_calls(path: Path) -> list[int]:
    """Lines of ``<anything>.dataframe(...)`` / ``.data_editor(...)`` calls in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr in ("dataframe", "data_editor")]


def test_every_table_goes_through_ui_table():
    roots = [*_modules("webapp"), *sorted((ROOT / "pages").glob("*.py")), ROOT / "streamlit_app.py"]
    raw = {str(p.relative_to(ROOT)): lines for p in roots if p != TABLE_MODULE and (lines := _raw_table_calls(p))}
    assert raw == {}


def test_raw_table_finder_finds_a_call(tmp_path):
    probe = tmp_path / "page.py"
    probe.write_text("import streamlit as st\nst.dataframe([1])\nx = 1\nst.data_editor([2])\n", encoding="utf-8")
    assert _raw_table_calls(probe) == [2, 4]
