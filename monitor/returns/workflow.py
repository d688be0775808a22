"""The workflow of a yearly return, as data: which action moves which state to which, and who may do it.

    (no return) ──start──► draft ──submit──► submitted ──approve──► approved ──reopen (admin)──┐
                                              │  ▲                     ▲                        │
                                   return_for_correction   resubmit    └──approve── resubmitted │
                                              ▼  │                                   ▲          │
                                            returned ───────────submit───────────────┘ ◄────────┘

Every transition is a named operation (``monitor.returns.operations.submit_return``,
``monitor.review.operations``) that calls :func:`check` first, so a stale page or a double click cannot move a
return into a wrong state: the second attempt finds the state changed and is refused with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..auth.models import Role, User
from ..refusals import OperationRefused
from .models import AnnualReturn, ReturnStatus


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return_for_correction"
    APPROVE = "approve"
    REOPEN = "reopen"


class Actor(StrEnum):
    """Who, relative to the return: the municipality's own editors, its region's reviewers, admins."""

    OWN_EDITOR = "own_editor"
    REGION_REVIEWER = "region_reviewer"
    ADMIN = "admin"


@dataclass(frozen=True)
class Transition:
    action: Action
    source: ReturnStatus
    target: ReturnStatus
    actors: frozenset[Actor]
    needs_reason: bool = False


S = ReturnStatus
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.SUBMIT, S.DRAFT, S.SUBMITTED, frozenset({Actor.OWN_EDITOR, Actor.ADMIN})),
    Transition(Action.SUBMIT, S.RETURNED, S.RESUBMITTED, frozenset({Actor.OWN_EDITOR, Actor.ADMIN})),
    Transition(Action.RETURN, S.SUBMITTED, S.RETURNED, frozenset({Actor.REGION_REVIEWER, Actor.ADMIN}), True),
    Transition(Action.RETURN, S.RESUBMITTED, S.RETURNED, frozenset({Actor.REGION_REVIEWER, Actor.ADMIN}), True),
    Transition(Action.APPROVE, S.SUBMITTED, S.APPROVED, frozenset({Actor.REGION_REVIEWER, Actor.ADMIN})),
    Transition(Action.APPROVE, S.RESUBMITTED, S.APPROVED, frozenset({Actor.REGION_REVIEWER, Actor.ADMIN})),
    Transition(Action.REOPEN, S.APPROVED, S.RETURNED, frozenset({Actor.ADMIN}), True),
)


def actor_kinds(user: User, ret: AnnualReturn) -> frozenset[Actor]:
    kinds: set[Actor] = set()
    if user.role == Role.ADMIN:
        kinds.add(Actor.ADMIN)
    if user.role == Role.EDITOR and user.municipality_id == ret.municipality_id:
        kinds.add(Actor.OWN_EDITOR)
    if user.role == Role.REVIEWER and user.region_id == ret.municipality.region_id:
        kinds.add(Actor.REGION_REVIEWER)
    return frozenset(kinds)


_STATE_WORDS = {
    S.DRAFT: ("ir melnraksts", "is a draft"),
    S.SUBMITTED: ("jau ir iesniegts", "has already been submitted"),
    S.RETURNED: ("ir atgriezts labošanai", "has been returned for correction"),
    S.RESUBMITTED: ("jau ir iesniegts atkārtoti", "has already been resubmitted"),
    S.APPROVED: ("jau ir apstiprināts", "has already been approved"),
}
_ACTION_WORDS = {
    Action.SUBMIT: ("iesniegt", "submit"),
    Action.RETURN: ("atgriezt labošanai", "return for correction"),
    Action.APPROVE: ("apstiprināt", "approve"),
    Action.REOPEN: ("atvērt atkārtoti", "reopen"),
}


def check(ret: AnnualReturn, action: Action, user: User, reason: str | None = None) -> Transition:
    """The transition ``action`` takes from the return's current state, if ``user`` may take it; else refuse."""
    state = ReturnStatus(ret.status)
    verb_lv, verb_en = _ACTION_WORDS[action]
    candidates = [t for t in TRANSITIONS if t.action == action and t.source == state]
    if not candidates:
        state_lv, state_en = _STATE_WORDS[state]
        raise OperationRefused(
            "wrong_state",
            f"Pārskatu nevar {verb_lv}, jo tas {state_lv}. Atjaunojiet lapu, lai redzētu pašreizējo stāvokli.",
            f"The return cannot {verb_en} now: it {state_en}. Reload the page to see its current state.",
        )
    transition = candidates[0]
    if not transition.actors & actor_kinds(user, ret):
        raise OperationRefused(
            "not_allowed",
            f"Jūsu lomai nav tiesību {verb_lv} šo pārskatu.",
            f"Your role does not allow you to {verb_en} this return.",
        )
    if transition.needs_reason and not (reason or "").strip():
        raise OperationRefused(
            "reason_required",
            "Lūdzu, uzrakstiet pamatojumu — pašvaldība to redzēs.",
            "Please write the reason — the municipality will see it.",
        )
    return transition


def allowed_actions(ret: AnnualReturn, user: User) -> set[Action]:
    """The actions ``user`` may take on the return now (which buttons to show)."""
    kinds = actor_kinds(user, ret)
    return {t.action for t in TRANSITIONS if t.source == ret.status and t.actors & kinds}
