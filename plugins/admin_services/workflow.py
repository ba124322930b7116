"""The request workflow: states, who may move a request from one state to another, and the audit
row written for every move.

Roles of a village (plugins/admin_services/README.md):

* ``operator``: a member of the village's Petugas Layanan group (``Village.officers_group``);
* ``sekdes`` and ``kepala_desa``: users named in :class:`ServiceRole` rows of the village;
* ``resident``: the person who made the request, proven by the tracking link and PIN.

District administrators act as operator, sekdes and kepala desa (they run the install).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.villages.lookup import is_district_admin

from .letters import issue_letter
from .models import RequestState as S
from .models import RequestTransition, ServiceKind, ServiceRequest, ServiceRole

OPERATOR = "operator"
SEKDES = "sekdes"
KEPALA_DESA = "kepala_desa"
RESIDENT = "resident"
STAFF_ROLES = frozenset({OPERATOR, SEKDES, KEPALA_DESA})
ROLE_LABELS = {
    OPERATOR: _("Petugas layanan"),
    SEKDES: _("Sekretaris desa"),
    KEPALA_DESA: _("Kepala desa"),
    RESIDENT: _("Pemohon"),
}


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    roles: frozenset[str]
    label: Any
    kinds: frozenset[str] = frozenset({ServiceKind.LETTER, ServiceKind.COMPLAINT})
    needs_note: bool = False


LETTER = frozenset({ServiceKind.LETTER})
COMPLAINT = frozenset({ServiceKind.COMPLAINT})
CHECKERS = frozenset({OPERATOR, SEKDES})
APPROVERS = frozenset({SEKDES, KEPALA_DESA})

MOVES: tuple[Move, ...] = (
    Move(S.SUBMITTED, S.CHECKING, CHECKERS, _("Mulai periksa")),
    Move(S.CHECKING, S.NEEDS_REVISION, CHECKERS, _("Minta perbaikan"), needs_note=True),
    Move(S.NEEDS_REVISION, S.CHECKING, frozenset({OPERATOR, RESIDENT}), _("Periksa lagi")),
    Move(S.CHECKING, S.AWAITING_SIGNATURE, CHECKERS, _("Ajukan tanda tangan"), LETTER),
    Move(S.AWAITING_SIGNATURE, S.CHECKING, APPROVERS, _("Kembalikan ke pemeriksaan"), LETTER),
    # The head signs; the operator records a letter signed on paper.
    Move(
        S.AWAITING_SIGNATURE,
        S.ISSUED,
        frozenset({KEPALA_DESA, OPERATOR}),
        _("Terbitkan surat"),
        LETTER,
    ),
    Move(S.ISSUED, S.COMPLETED, frozenset({OPERATOR}), _("Tandai sudah diambil"), LETTER),
    Move(S.CHECKING, S.COMPLETED, CHECKERS, _("Tandai selesai ditangani"), COMPLAINT),
    Move(S.SUBMITTED, S.REJECTED, STAFF_ROLES, _("Tolak"), needs_note=True),
    Move(S.CHECKING, S.REJECTED, STAFF_ROLES, _("Tolak"), needs_note=True),
    Move(S.AWAITING_SIGNATURE, S.REJECTED, APPROVERS, _("Tolak"), LETTER, needs_note=True),
    Move(S.SUBMITTED, S.CANCELLED, frozenset({RESIDENT}), _("Batalkan")),
    Move(S.CHECKING, S.CANCELLED, frozenset({RESIDENT}), _("Batalkan")),
    Move(S.NEEDS_REVISION, S.CANCELLED, frozenset({RESIDENT}), _("Batalkan")),
)


def roles_of(user: Any, village: Any) -> frozenset[str]:
    """The workflow roles ``user`` holds in ``village``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if is_district_admin(user):
        return STAFF_ROLES
    roles = set(
        ServiceRole.objects.filter(village=village, user=user).values_list("role", flat=True)
    )
    if village.officers_group_id and user.groups.filter(pk=village.officers_group_id).exists():
        roles.add(OPERATOR)
    return frozenset(roles)


def moves_for(request: ServiceRequest, roles: frozenset[str]) -> list[Move]:
    """The moves of ``request``'s current state that one of ``roles`` may make."""
    kind = request.kind
    return [m for m in MOVES if m.source == request.state and kind in m.kinds and m.roles & roles]


def find_move(request: ServiceRequest, target: str, roles: frozenset[str]) -> Move:
    for move in moves_for(request, roles):
        if move.target == target:
            return move
    raise PermissionDenied(
        _("Perubahan status dari “%(source)s” ke “%(target)s” tidak diizinkan untuk peran Anda.")
        % {
            "source": S(request.state).label,
            "target": S(target).label if target in S.values else target,
        }
    )


def transition(
    request: ServiceRequest,
    target: str,
    *,
    user: Any = None,
    roles: frozenset[str] | None = None,
    note: str = "",
    public: bool = True,
) -> RequestTransition:
    """Move ``request`` to ``target`` if a role of the actor allows it, and record who did it.

    ``roles`` defaults to the user's roles in the request's village (pass ``{RESIDENT}`` for
    the resident). The state is re-read under a row lock, so two officers pressing buttons at
    once cannot both move the request from the same state. Raises PermissionDenied for a move
    not allowed, ValidationError for a missing note.
    """
    if roles is None:
        roles = roles_of(user, request.village)
    note = (note or "").strip()
    with transaction.atomic():
        locked = (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("service")
            .get(pk=request.pk)
        )
        move = find_move(locked, target, roles)
        if move.needs_note and not note:
            raise ValidationError(_("Tuliskan alasan atau catatan untuk pemohon."))
        source = locked.state
        locked.state = target
        fields = ["state", "updated_at"]
        if target == S.REJECTED:
            locked.rejection_reason = note
            fields.append("rejection_reason")
        locked.save(update_fields=fields)
        if target == S.ISSUED:
            issue_letter(locked)
        actor_role = next(
            r for r in (KEPALA_DESA, SEKDES, OPERATOR, RESIDENT) if r in move.roles & roles
        )
        row = RequestTransition.objects.create(
            village_id=locked.village_id,
            request=locked,
            from_state=source,
            to_state=target,
            actor=user if user is not None and user.is_authenticated else None,
            actor_role=actor_role,
            note=note,
            public=public or target in (S.REJECTED, S.NEEDS_REVISION),
            created_at=timezone.now(),
        )
    request.state = locked.state
    request.rejection_reason = locked.rejection_reason
    return row


def record_submission(request: ServiceRequest, user: Any = None, note: str = "") -> None:
    """The first audit row of a request (from nothing to ``submitted``)."""
    RequestTransition.objects.create(
        village_id=request.village_id,
        request=request,
        from_state="",
        to_state=request.state,
        actor=user if user is not None and user.is_authenticated else None,
        actor_role=OPERATOR if user is not None and user.is_authenticated else RESIDENT,
        note=note,
    )
