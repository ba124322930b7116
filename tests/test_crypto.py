"""Personal data at rest: tokens, key rotation, blind index, masking (core/villages/crypto.py)."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from core.villages import crypto


def test_round_trip_and_fresh_tokens():
    a, b = crypto.encrypt_text("3327071234560001"), crypto.encrypt_text("3327071234560001")
    assert a != b and "3327071234560001" not in a
    assert crypto.decrypt_text(a) == crypto.decrypt_text(b) == "3327071234560001"


def test_rotation_keeps_old_tokens_readable():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(SIDEKEM_FIELD_ENCRYPTION_KEYS=[old]):
        token = crypto.encrypt_text("rahasia")
    with override_settings(SIDEKEM_FIELD_ENCRYPTION_KEYS=[new, old]):
        assert crypto.decrypt_text(token) == "rahasia"
    with override_settings(SIDEKEM_FIELD_ENCRYPTION_KEYS=[new]), pytest.raises(ValueError):
        crypto.decrypt_text(token)


def test_blind_index_is_normalised_and_separated_by_purpose():
    assert crypto.blind_index(" Budi ") == crypto.blind_index("budi")
    assert crypto.blind_index("budi", "nik") != crypto.blind_index("budi", "phone")


def test_mask():
    assert crypto.mask("3327071234560001") == "3327••••••••0001"
    assert crypto.mask("12345") == "•••••"
    assert crypto.mask("") == ""


@pytest.mark.django_db
def test_field_stores_ciphertext():
    from django.db import models

    field = crypto.EncryptedTextField()
    stored = field.get_prep_value("Jl. Raya Kreo RT 01")
    assert stored.startswith(crypto.TOKEN_PREFIX)
    assert field.from_db_value(stored, None, connection) == "Jl. Raya Kreo RT 01"
    assert field.get_prep_value("") == "" and field.get_prep_value(None) is None
    assert isinstance(field, models.TextField)
