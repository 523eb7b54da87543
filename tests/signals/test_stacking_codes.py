"""The stacking signal's variant is stored: each part of it has a fixed code that does not depend on
the order of OtherProvision.Kind. These pins fail if a code changes, e.g. because the enum was
reordered and the codes were derived from its order again."""

from indications.models import OtherProvision
from signals.checks import HOUSEHOLD, KIND_BITS, MORE_THAN_ONE_IB, describe_stacking

# The codes as stored in existing signals: never change one, never reuse one.
STORED_CODES = {
    "dagbesteding": 4,
    "beschermd_wonen": 8,
    "huishoudelijke_ondersteuning": 16,
    "kortdurend_verblijf": 32,
    "vervoer": 64,
    "opvang": 128,
    "jeugdhulp": 256,
    "bijstand": 512,
    "reintegratie": 1024,
    "zvw_behandeling": 2048,
    "wijkverpleging": 4096,
    "wlz": 8192,
}


def test_the_codes_are_pinned():
    assert (MORE_THAN_ONE_IB, HOUSEHOLD) == (1, 2)
    assert {str(kind): bit for kind, bit in KIND_BITS.items()} == STORED_CODES


def test_every_kind_has_its_own_single_bit():
    assert set(KIND_BITS) == set(OtherProvision.Kind.values)
    bits = list(KIND_BITS.values())
    assert all(bit & (bit - 1) == 0 for bit in bits)  # a power of two
    assert len(set(bits)) == len(bits)
    assert not set(bits) & {MORE_THAN_ONE_IB, HOUSEHOLD}


def test_a_stored_variant_keeps_its_meaning():
    parts, laws = describe_stacking(4 | 8192 | MORE_THAN_ONE_IB)
    assert set(parts) >= {str(OtherProvision.Kind.DAGBESTEDING.label), str(OtherProvision.Kind.WLZ.label)}
    assert laws == ["wlz", "wmo"]
