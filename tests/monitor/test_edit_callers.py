"""One path for changing answers: every caller plans with ``returns.edit.plan_edit`` and writes with
``storage.apply_edit``; nothing else builds answer rows. (Behaviour per caller is tested where the caller is:
web and Excel decide the same case alike in test_excel_web, the history import in test_excel_web and
test_history_roundtrip, "start from last year" in test_returns_web, the demo in test_demo.)"""

from __future__ import annotations

import ast
from pathlib import Path

MONITOR = Path(__file__).resolve().parents[2] / "monitor"
WRITERS = {"returns/storage.py"}
CALLERS = {  # module → the source its writes are logged with
    "returns/operations.py": {"web", "copy"},
    "excel/operations.py": {"excel", "import"},
    "demo_data.py": {"demo"},
}
ROW_MODELS = {"Answer", "GroupAnswer", "GroupRow", "ChangeLog"}


def _calls(path: Path) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)]


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def test_only_storage_builds_answer_rows():
    for path in MONITOR.rglob("*.py"):
        rel = path.relative_to(MONITOR).as_posix()
        if rel in WRITERS:
            continue
        built = {_name(c) for c in _calls(path)} & (ROW_MODELS | {"_write_answers", "write_answers"})
        assert not built, f"{rel} writes answers itself ({sorted(built)}): use plan_edit + apply_edit"


def test_every_caller_plans_and_applies_with_its_source():
    for rel, sources in CALLERS.items():
        calls = _calls(MONITOR / rel)
        assert any(_name(c) == "plan_edit" for c in calls), rel
        applied = {kw.value.value for c in calls if _name(c) == "apply_edit" for kw in c.keywords
                   if kw.arg == "source" and isinstance(kw.value, ast.Constant)}
        assert applied == sources, rel
