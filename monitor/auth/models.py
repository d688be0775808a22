"""Users and roles."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Model, UTCDateTime, utcnow
from ..registry.models import Municipality, PlanningRegion


class Role(StrEnum):
    ADMIN = "admin"  # national analyst (ministry); sees and may edit everything
    REVIEWER = "reviewer"  # one planning region; reads its municipalities' returns
    EDITOR = "editor"  # one municipality; fills in its returns
    RESEARCHER = "researcher"  # aggregated data only


class User(UserMixin, Model):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "(role = 'editor' AND municipality_id IS NOT NULL AND region_id IS NULL)"
            " OR (role = 'reviewer' AND region_id IS NOT NULL AND municipality_id IS NULL)"
            " OR (role IN ('admin', 'researcher') AND municipality_id IS NULL AND region_id IS NULL)",
            name="role_scope",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored case-folded
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("planning_region.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="lv")
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    # bumping it logs the user out everywhere (password change, deactivation)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # two-step sign-in (TOTP): the secret, encrypted (monitor.auth.keys), is set when enrolment starts and in use
    # once totp_enabled_at is set; totp_last_step (time step of the last accepted code) refuses a code used twice
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    municipality: Mapped[Municipality | None] = relationship()
    region: Mapped[PlanningRegion | None] = relationship()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.is_active_account)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_editor(self) -> bool:
        return self.role == Role.EDITOR

    @property
    def is_researcher(self) -> bool:
        return self.role == Role.RESEARCHER


class RecoveryCode(Model):
    """A one-time recovery code of the two-step sign-in, stored only as a hash; ``used_at`` set once used."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class UserSession(Model):
    """One signed-in browser. The cookie carries a random token; only its hash is stored. Signing out ends the
    row, so a copy of the cookie is refused afterwards (Flask's session cookie itself cannot be revoked)."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Model):
    """Failed sign-ins of one account from one source address (both as keyed hashes: neither what was typed as the
    e-mail nor the address is stored). A stranger's failures block only the stranger's own address."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("account_key", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    source_key: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
