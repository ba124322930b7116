"""Who may move a request where; every move leaves an audit row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plugins.admin_services.models import Letter, RequestState, RequestTransition
from plugins.admin_services.workflow import (
    KEPALA_DESA,
    OPERATOR,
    RESIDENT,
    SEKDES,
    roles_of,
    transition,
)

from .conftest import adopt, make_user
from .helpers import make_request

pytestmark = pytest.mark.django_db
S = RequestState


def test_roles(kreo, kandang, officer, sekdes, kades, editor, kandang_officer):
    assert roles_of(officer, kreo) == {OPERATOR}
    assert roles_of(sekdes, kreo) == {OPERATOR, SEKDES}
    assert roles_of(kades, kreo) == {OPERATOR, KEPALA_DESA}
    assert roles_of(editor, kreo) == frozenset()
    assert roles_of(kandang_officer, kreo) == frozenset()  # another village's officer
    assert roles_of(officer, kandang) == frozenset()


def test_letter_through_the_chain(sktm, officer, sekdes, kades):
    obj = make_request(sktm)
    transition(obj, S.CHECKING, user=officer)
    transition(obj, S.AWAITING_SIGNATURE, user=sekdes, note="Berkas lengkap")
    transition(obj, S.ISSUED, user=kades)
    transition(obj, S.COMPLETED, user=officer)
    rows = list(RequestTransition.objects.filter(request=obj))
    assert [(r.from_state, r.to_state) for r in rows] == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.CHECKING),
        (S.CHECKING, S.AWAITING_SIGNATURE),
        (S.AWAITING_SIGNATURE, S.ISSUED),
        (S.ISSUED, S.COMPLETED),
    ]
    assert [r.actor for r in rows[1:]] == [officer, sekdes, kades, officer]
    assert rows[2].note == "Berkas lengkap" and rows[3].actor_role == KEPALA_DESA
    assert Letter.objects.filter(request=obj).count() == 1  # issued exactly once


@pytest.mark.parametrize(
    "state, target, who",
    [
        (S.SUBMITTED, S.ISSUED, "officer"),  # skipping steps
        (S.SUBMITTED, S.COMPLETED, "kades"),
        (S.AWAITING_SIGNATURE, S.REJECTED, "officer"),  # only sekdes/kades reject here
        (S.AWAITING_SIGNATURE, S.CHECKING, "officer"),
        (S.CHECKING, S.COMPLETED, "officer"),  # letters are issued, not "completed"
        (S.SUBMITTED, S.CHECKING, "editor"),  # editors have no role
        (S.SUBMITTED, S.CHECKING, "kandang_officer"),  # nor another village's officers
        (S.SUBMITTED, S.CANCELLED, "officer"),  # only the resident cancels
        (S.COMPLETED, S.CHECKING, "kades"),  # closed is closed
    ],
)
def test_refused_moves_change_nothing(request, sktm, state, target, who):
    user = request.getfixturevalue(who)
    obj = make_request(sktm)
    obj.state = state
    obj.save()
    with pytest.raises(PermissionDenied):
        transition(obj, target, user=user, note="catatan")
    obj.refresh_from_db()
    assert obj.state == state
    assert RequestTransition.objects.filter(request=obj).count() == 1


def test_sekdes_cannot_sign_but_kades_can(sktm, sekdes, kades):
    obj = make_request(sktm)
    obj.state = S.AWAITING_SIGNATURE
    obj.save()
    # sekdes is also an officer; operators may record a letter signed on paper, so use a
    # sekdes without the officer group to see the role alone
    sekdes.groups.clear()
    with pytest.raises(PermissionDenied):
        transition(obj, S.ISSUED, user=sekdes)
    transition(obj, S.ISSUED, user=kades)
    assert obj.state == S.ISSUED


def test_rejection_needs_reason(sktm, officer):
    obj = make_request(sktm)
    with pytest.raises(ValidationError):
        transition(obj, S.REJECTED, user=officer, note="  ")
    transition(obj, S.REJECTED, user=officer, note="NIK tidak terdaftar di desa ini")
    obj.refresh_from_db()
    assert obj.state == S.REJECTED and obj.rejection_reason.startswith("NIK tidak")


def test_resident_role(sktm, officer):
    obj = make_request(sktm)
    transition(obj, S.CHECKING, user=officer)
    with pytest.raises(PermissionDenied):
        transition(obj, S.AWAITING_SIGNATURE, roles=frozenset({RESIDENT}))
    transition(obj, S.CANCELLED, roles=frozenset({RESIDENT}))
    assert obj.state == S.CANCELLED


def test_complaint_completed_by_operator(road, officer):
    obj = make_request(road, nik="")
    transition(obj, S.CHECKING, user=officer)
    with pytest.raises(PermissionDenied):
        transition(obj, S.AWAITING_SIGNATURE, user=officer)
    transition(obj, S.COMPLETED, user=officer, note="Jembatan sudah diperbaiki")
    assert obj.state == S.COMPLETED and not Letter.objects.exists()


def test_district_admin_acts_everywhere(kandang, django_user_model):
    admin = make_user("svc.district", is_superuser=True)
    obj = make_request(adopt(kandang, "sktm"))
    transition(obj, S.CHECKING, user=admin)
    assert obj.state == S.CHECKING
    assert django_user_model.objects.filter(username="svc.district").exists()
