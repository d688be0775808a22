"""Pure report compilation and writers (report objects → .xlsx/CSV bytes). Imports ``forms`` only.

The comparative reports themselves are built under the reports issue; for now the package offers the
answer-formatting helpers shared by every output.
"""
