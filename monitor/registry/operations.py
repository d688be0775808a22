"""Loading the registry of planning regions and municipalities (idempotent)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..extensions import db
from .models import Municipality, PlanningRegion

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "municipalities.json"


@dataclass
class LoadReport:
    regions_added: int = 0
    regions_updated: int = 0
    municipalities_added: int = 0
    municipalities_updated: int = 0

    @property
    def changed(self) -> bool:
        return any((self.regions_added, self.regions_updated, self.municipalities_added,
                    self.municipalities_updated))


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def load_registry(path: Path = DATA_FILE) -> LoadReport:
    """Insert or update regions and municipalities by slug. Running it twice changes nothing."""
    data = json.loads(path.read_text(encoding="utf-8"))
    report = LoadReport()
    regions = {r.slug: r for r in db.session.scalars(select(PlanningRegion))}
    for item in data["regions"]:
        values = {"abbr": item["abbr"], "name_lv": item["name_lv"], "name_en": item["name_en"]}
        region = regions.get(item["slug"])
        if region is None:
            region = PlanningRegion(slug=item["slug"], **values)
            db.session.add(region)
            regions[item["slug"]] = region
            report.regions_added += 1
        elif _apply(region, values):
            report.regions_updated += 1
    db.session.flush()
    municipalities = {m.slug: m for m in db.session.scalars(select(Municipality))}
    for item in data["municipalities"]:
        values = {
            "name_lv": item["name_lv"], "short_name_lv": item["short_name_lv"], "name_en": item["name_en"],
            "kind": item["kind"], "region_id": regions[item["region"]].id,
        }
        municipality = municipalities.get(item["slug"])
        if municipality is None:
            db.session.add(Municipality(slug=item["slug"], **values))
            report.municipalities_added += 1
        elif _apply(municipality, values):
            report.municipalities_updated += 1
    db.session.flush()
    return report
