import pytest
from django.db import connection

from plugins.admin_services.catalogue import COMPLAINTS, LETTERS
from plugins.admin_services.forms import nik_index, validate_kk, validate_nik
from plugins.admin_services.models import (
    RequestState,
    Service,
    ServiceKind,
    ServiceRequest,
    ServiceTemplate,
    validate_field_definitions,
)

from .conftest import OTHER_NIK, VALID_KK, VALID_NIK, adopt
from .helpers import make_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [VALID_NIK, "3327 0745 0190 0001", "3327.0745.0190.0001"])
def test_valid_nik_is_normalised(value):
    assert validate_nik(value) == VALID_NIK


@pytest.mark.parametrize(
    "value",
    [
        "1234567890123456",  # area 12.34 not a regency code
        "3327073202900001",  # 32nd of February
        "332707450190000",  # 15 digits
        "33270745019000011",  # 17 digits
        "3327O74501900001",  # a letter O
        "",
    ],
)
def test_invalid_nik_refused_in_indonesian(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        validate_nik(value)
    assert "NIK tidak sah" in exc.value.messages[0]


def test_kk_checked():
    from django.core.exceptions import ValidationError

    assert validate_kk(VALID_KK) == VALID_KK
    for bad in ("12345", "0027071201150003", "3300071201150003", "33270712011500AB"):
        with pytest.raises(ValidationError):
            validate_kk(bad)


def test_catalogue_seeded_without_abolished_introductions():
    letters = ServiceTemplate.objects.filter(kind=ServiceKind.LETTER)
    complaints = ServiceTemplate.objects.filter(kind=ServiceKind.COMPLAINT)
    assert letters.count() == len(LETTERS) == 10
    assert complaints.count() == len(COMPLAINTS) == 4
    names = " ".join(letters.values_list("name", flat=True)).lower()
    for word in ("domisili", "tidak mampu", "usaha", "kelahiran", "kematian", "belum menikah"):
        assert word in names
    for abolished in ("pengantar ktp", "pengantar kk", "pindah", "akta"):
        assert abolished not in names
    for template in ServiceTemplate.objects.all():
        validate_field_definitions(template.fields)  # every seeded definition is valid


def test_adopt_copies_once(kreo):
    first = adopt(kreo, "sktm")
    first.name = "SKTM Desa Kreo"
    first.save()
    again = adopt(kreo, "sktm")
    assert again.pk == first.pk and again.name == "SKTM Desa Kreo"
    assert first.fields == ServiceTemplate.objects.get(code="sktm").fields
    assert Service.objects.filter(village=kreo, code="sktm").count() == 1


def test_field_definitions_validated():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_field_definitions([{"code": "a", "label": "A", "datatype": "colour"}])
    with pytest.raises(ValidationError):
        validate_field_definitions([{"code": "a", "label": "A", "datatype": "singlevaluelist"}])
    with pytest.raises(ValidationError):
        validate_field_definitions(
            [
                {"code": "a", "label": "A", "datatype": "string"},
                {"code": "a", "label": "B", "datatype": "string"},
            ]
        )


def test_nik_kk_phone_encrypted_at_rest(sktm):
    obj = make_request(sktm, kk=VALID_KK, email="siti@example.org")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nik, kk, phone, email, nik_index FROM admin_services_servicerequest "
            "WHERE id = %s",
            [obj.pk],
        )
        nik, kk, phone, email, index = cursor.fetchone()
    for raw in (nik, kk, phone, email):
        assert raw.startswith("enc1:")
    raw_row = " ".join([nik, kk, phone, email, index])
    assert VALID_NIK not in raw_row and VALID_KK not in raw_row
    assert "081234567890" not in raw_row and "siti@example.org" not in raw_row
    fresh = ServiceRequest.objects.get(pk=obj.pk)
    assert fresh.nik == VALID_NIK and fresh.kk == VALID_KK
    assert fresh.nik_masked == "3327••••••••0001"
    # the blind index finds the request without decrypting anything
    assert ServiceRequest.objects.filter(nik_index=nik_index(VALID_NIK)).get() == fresh
    assert not ServiceRequest.objects.filter(nik_index=nik_index(OTHER_NIK)).exists()


def test_due_date_and_overdue(sktm):
    import datetime

    from django.utils import timezone

    obj = make_request(sktm)
    assert obj.due_on == timezone.localdate() + datetime.timedelta(days=sktm.service_level_days)
    assert not obj.is_overdue
    obj.due_on = timezone.localdate() - datetime.timedelta(days=1)
    assert obj.is_overdue
    obj.state = RequestState.COMPLETED
    assert not obj.is_overdue


def test_pin_lockout(sktm):
    obj = make_request(sktm, pin="482913")
    for _ in range(4):
        assert not obj.check_pin("000000")
    obj.refresh_from_db()
    assert obj.pin_failures == 4 and not obj.is_locked()
    assert obj.check_pin("482913")  # the right PIN resets the count
    obj.refresh_from_db()
    assert obj.pin_failures == 0
    for _ in range(5):
        assert not obj.check_pin("111112")
    obj.refresh_from_db()
    assert obj.is_locked()
    assert not obj.check_pin("482913")  # even the right PIN is refused while locked
