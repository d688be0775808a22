"""``reports`` is pure: importing it loads neither Flask nor SQLAlchemy (nor monitor), and its code imports
only the standard library and ``forms``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p for p in (ROOT / "reports").glob("*.py"))
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


def test_importing_reports_loads_no_web_or_database_stack():
    names = ", ".join(f"reports.{p.stem}" for p in MODULES if p.stem != "__init__")
    done = subprocess.run([sys.executable, "-c", PROBE.format(modules=names)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    heavy, foreign = done.stdout.splitlines()
    assert heavy == "[]"
    assert foreign == "[]"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_reports_imports_only_stdlib_and_forms(path):
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
            assert top in sys.stdlib_module_names or top == "forms", f"{path.name} imports {name}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_the_probe_can_fail():
    done = subprocess.run([sys.executable, "-c", PROBE.format(modules="flask")], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    heavy, foreign = done.stdout.splitlines()
    assert "flask" in heavy and "flask" in foreign
