"""Pure report compilation: plain records + reference figures → report objects. Imports ``forms`` only.

Public API (the Flask app codes against these names):

- ``records.UnitRecord`` — one municipality's typed answers for one year;
- ``reference.ReferenceFigure``, ``reference.load_reference`` — the 2017 and 2022 published figures;
- ``catalogue.Indicator``, ``catalogue.INDICATORS``, ``catalogue.indicator`` — what is computed;
- ``compile.compile_report`` — the yearly report (national, 5 regions, units, the seed report's tables);
- ``model.Report`` (``to_dict()``), ``Figure``, ``Comparison``, ``Table``; ``coverage.Coverage``;
- ``fingerprint.inputs_fingerprint`` — is a stored snapshot stale?
- ``stats`` — the exact statistics underneath.
"""

from .catalogue import INDICATORS, Indicator, indicator
from .compile import compile_report
from .coverage import Coverage
from .fingerprint import inputs_fingerprint
from .model import Comparison, Figure, Report, Table
from .records import REGION_SLUGS, UnitRecord
from .reference import ReferenceFigure, load_reference

__all__ = [
    "INDICATORS", "REGION_SLUGS", "Comparison", "Coverage", "Figure", "Indicator", "Report", "ReferenceFigure", "Table",
    "UnitRecord", "compile_report", "indicator", "inputs_fingerprint", "load_reference",
]
