"""Planning regions and municipalities (the 43 formed by the 2021 reform)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Model


class PlanningRegion(Model):
    __tablename__ = "planning_region"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    abbr: Mapped[str] = mapped_column(String(8))
    name_lv: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))

    municipalities: Mapped[list["Municipality"]] = relationship(back_populates="region")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_lv


class Municipality(Model):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_lv: Mapped[str] = mapped_column(String(120))
    short_name_lv: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # state_city | novads
    region_id: Mapped[int] = mapped_column(ForeignKey("planning_region.id"), index=True)

    region: Mapped[PlanningRegion] = relationship(back_populates="municipalities")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_lv
