from __future__ import annotations

import pytest

from bot.callbacks import MAX_PAYLOAD_BYTES, Signer
from bot.errors import PayloadError

signer = Signer(key=b"k")


def test_round_trip_and_fits_telegram() -> None:
    payload = signer.sign("m12", "notice.rsvp", [123456, "leave"], rev=None)
    assert len(payload.encode()) <= MAX_PAYLOAD_BYTES
    action = signer.verify("m12", payload)
    assert (
        action.name == "notice.rsvp" and action.args == ("123456", "leave") and action.rev is None
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p.replace("123456", "123457"),  # another notice
        lambda p: p.replace("leave", "attend"),  # another answer
        lambda p: p[:-1] + ("A" if p[-1] != "A" else "B"),  # another signature
        lambda p: "garbage",
        lambda p: "",
    ],
)
def test_tampered_payload_is_refused(tamper) -> None:
    payload = signer.sign("m12", "notice.rsvp", [123456, "leave"])
    with pytest.raises(PayloadError):
        signer.verify("m12", tamper(payload))


def test_payload_belongs_to_its_recipient() -> None:
    payload = signer.sign("m12", "proposal.open", [7])
    with pytest.raises(PayloadError):
        signer.verify("m13", payload)


def test_separators_and_oversize_are_rejected_when_building() -> None:
    with pytest.raises(ValueError):
        signer.sign("m1", "x", ["a|b"])
    with pytest.raises(ValueError):
        signer.sign("m1", "x", ["a" * 60])
