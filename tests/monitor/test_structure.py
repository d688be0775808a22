"""The rooms of ``monitor/``: every area imports only areas below it, so there is no import loop between areas.

The layering, from the foundation up (areas in one tier are independent of each other: neither imports the other):

- foundation: ``config``, ``extensions``, ``database``, ``caching``, ``clock`` (the Riga clock), ``locale`` (the
  current locale), ``refusals`` (``OperationRefused``); then ``models_base``, ``paging``, ``waiting``, ``edges``
  and ``logs``;
- the areas, each tier above the ones before it: ``errors``, ``registry``, ``periods``, ``audit``, ``mail`` (the
  outbox), ``backup`` · ``auth`` · ``returns`` · ``reporting`` (with the "compile now" requests) · ``public`` ·
  ``review`` · ``excel`` · ``jobs`` (above the areas whose operations its jobs run) · ``api`` and ``main``;
- on top, the entry points, which may import any area: every ``views.py`` / ``*_views.py``, ``cli.py`` and
  ``webforms.py``, and the application modules (the app factory ``monitor/__init__.py``, ``models.py``, which
  gathers the tables for Alembic, ``templating.py``, ``cli.py`` and the ``demo*`` modules). Nothing below imports
  another area's entry point. Inside one area, modules import each other freely.

Every import counts, also one inside a function (a function-local import is a dependency all the same, only
later) and one under ``if TYPE_CHECKING:``: a loop hidden in a function is still a loop. A new area must be given
its tier here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MONITOR = ROOT / "monitor"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("config", "extensions", "database", "caching", "clock", "locale", "refusals"),
    ("models_base", "paging", "waiting", "edges", "logs"),
    ("errors", "registry", "periods", "audit", "mail", "backup"),
    ("auth",),
    ("returns",),
    ("reporting",),
    ("public",),
    ("review",),
    ("excel",),
    ("jobs",),
    ("api", "main"),
)
TIER = {area: level for level, areas in enumerate(LAYERS) for area in areas}
APPLICATION = frozenset({"__init__", "models", "cli", "templating", "demo", "demo_data", "demo_history",
                         "demo_measures"})
ENTRY_NAMES = frozenset({"views", "cli", "webforms"})


def module_name(path: Path) -> tuple[str, ...]:
    """``monitor/returns/views.py`` → ``("monitor", "returns", "views")``."""
    return path.relative_to(ROOT).with_suffix("").parts


def is_entry(parts: tuple[str, ...]) -> bool:
    """Views, CLI commands, web forms and the application modules: the top, free to import any area."""
    if len(parts) == 2:
        return parts[1] in APPLICATION
    return parts[-1] in ENTRY_NAMES or parts[-1].endswith("_views")


def imported_modules(parts: tuple[str, ...], source: str) -> list[tuple[int, tuple[str, ...]]]:
    """Every ``monitor`` module that ``source`` (the module ``parts``) imports, at any depth of the code:
    ``(line, dotted parts)``; ``from .x import y`` yields ``x.y`` too, since ``y`` may be a module."""
    package = list(parts[:-1])  # the package relative imports start from (for __init__ too: the package itself)
    found: list[tuple[int, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [tuple(alias.name.split(".")) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            else:
                base = (node.module or "").split(".")
            names = [tuple(base)] + [(*base, alias.name) for alias in node.names]
        else:
            continue
        found += [(node.lineno, name if len(name) > 1 else ("monitor", "__init__"))
                  for name in names if name[0] == "monitor"]
    return found


def existing(parts: tuple[str, ...]) -> bool:
    """Whether dotted ``parts`` name a module or package of the code base (not a class or function)."""
    path = ROOT.joinpath(*parts)
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def violations(parts: tuple[str, ...], source: str) -> list[str]:
    """What is wrong with the imports of module ``parts``: an import of a higher or same-tier area, or of an
    entry point from below the top."""
    if is_entry(parts):
        return []
    area = parts[1]
    if area not in TIER:
        return [f"{'.'.join(parts)}: the area {area!r} has no tier in LAYERS"]
    out = []
    for line, target in imported_modules(parts, source):
        if not existing(target):
            continue
        where = f"{'.'.join(parts)}:{line} imports {'.'.join(target)}"
        if is_entry(target) and (target[1] != area or len(target) == 2):
            out.append(f"{where}, an entry point (views, CLI, web forms and the app modules are the top)")
        elif target[1] != area and target[1] not in TIER:
            out.append(f"{where}: the area {target[1]!r} has no tier in LAYERS")
        elif target[1] != area and TIER[target[1]] >= TIER[area]:
            out.append(f"{where}, which is not below {area!r} (tier {TIER[target[1]]} vs {TIER[area]})")
    return out


MODULES = sorted(p for p in MONITOR.rglob("*.py") if (p.parent / "__init__.py").exists())  # not data/ scripts


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_area_imports_an_area_above_it(path):
    assert violations(module_name(path), path.read_text(encoding="utf-8")) == []


def test_every_area_has_a_tier():
    areas = {p.name for p in MONITOR.iterdir() if (p / "__init__.py").exists()}
    areas |= {p.stem for p in MONITOR.glob("*.py")} - APPLICATION
    assert sorted(areas - set(TIER)) == []
    assert sorted(set(TIER) - areas) == []  # and the table names no area that is gone


def test_a_function_local_import_of_a_higher_area_is_found():
    source = "def f():\n    from ..review.operations import approve_return\n"
    assert violations(("monitor", "returns", "operations"), source) == [
        "monitor.returns.operations:2 imports monitor.review.operations, which is not below 'returns' (tier 7 vs 4)"
    ]


def test_same_tier_areas_and_entry_points_are_refused_and_the_top_is_free():
    assert violations(("monitor", "mail", "operations"), "from ..audit.operations import record_event\n")
    assert violations(("monitor", "reporting", "charts"), "from ..templating import tr\n")
    assert violations(("monitor", "reporting", "queries"), "import monitor.returns.views\n")
    assert violations(("monitor", "registry", "operations"), "from .. import create_app\n")
    assert violations(("monitor", "public", "figures"), "from .views import _page\n") == []  # inside one area
    assert violations(("monitor", "review", "operations"), "from monitor.returns import storage\n") == []
    assert violations(("monitor", "returns", "views"), "from ..review.operations import answer_comments\n") == []
    assert violations(("monitor", "newarea", "operations"), "") == [
        "monitor.newarea.operations: the area 'newarea' has no tier in LAYERS"
    ]
