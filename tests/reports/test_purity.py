"""``reports`` is pure: importing it loads neither Flask nor SQLAlchemy (nor monitor), and its code imports
only the standard library and ``forms``; ``reports/excel/`` (all the openpyxl code) also openpyxl and defusedxml.
Every module of every subpackage is walked, and every one stays under 400 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted((ROOT / "reports").rglob("*.py"))
EXCEL = ROOT / "reports" / "excel"
EXCEL_LIBRARIES = frozenset({"openpyxl", "defusedxml"})  # what reports/excel/ may import besides forms
MAX_LINES = 400
#: modules still too long, each with the change that splits it; a module that is no longer too long fails here
#: until it is taken off the list, so that the list never outlives its reason
TOO_LONG_FOR_NOW = {
    "reports/excel/bulk.py": "to split by job (reading the bulk workbook / writing it)",
    "reports/excel/upload.py": "to split by job (opening and checking an upload / converting its cells)",
}
PROBE = """
import sys
before = set(sys.modules)
import reports, {modules}
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & {{"flask", "sqlalchemy", "monitor", "werkzeug",
                                                               "flask_sqlalchemy", "openpyxl"}})
added = {{m.split(".")[0] for m in set(sys.modules) - before}}
foreign = sorted(added - set(sys.stdlib_module_names) - {{"forms", "reports"}})
print(loaded)
print(foreign)
"""


def dotted(path: Path) -> str:
    """``reports/excel/template/reading.py`` → ``reports.excel.template.reading`` (a package: its ``__init__``)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def probe(modules: list[str]) -> tuple[list[str], list[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(modules=", ".join(modules))], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    heavy, foreign = done.stdout.splitlines()
    return ast.literal_eval(heavy), ast.literal_eval(foreign)


def test_importing_reports_loads_no_web_or_database_stack():
    heavy, foreign = probe([dotted(p) for p in MODULES if EXCEL not in p.parents and p.parent != EXCEL])
    assert heavy == []
    assert foreign == []


def test_importing_reports_excel_loads_openpyxl_but_no_web_or_database_stack():
    heavy, _ = probe([dotted(p) for p in MODULES if p == EXCEL / "__init__.py" or EXCEL in p.parents])
    assert heavy == ["openpyxl"]  # what openpyxl itself loads (lxml, PIL) is its business; the code's own imports
    # are checked one by one below


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_reports_imports_only_stdlib_and_forms(path):
    allowed = {"forms", "reports"} | (EXCEL_LIBRARIES if EXCEL in path.parents else set())
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                continue
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top in allowed, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if str(path.relative_to(ROOT)) in TOO_LONG_FOR_NOW:
        assert lines > MAX_LINES, "no longer too long: take it off TOO_LONG_FOR_NOW"
    else:
        assert lines <= MAX_LINES


def test_the_walk_reaches_every_subpackage():
    walked = {str(p.relative_to(ROOT)) for p in MODULES}
    assert {"reports/compile.py", "reports/excel/upload.py", "reports/excel/template/reading.py"} <= walked
    assert set(TOO_LONG_FOR_NOW) <= walked


def test_the_probe_can_fail():
    heavy, foreign = probe(["flask"])
    assert "flask" in heavy and "flask" in foreign
