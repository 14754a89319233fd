"""Byte-literal tests of the frame parser and serializer (wsproto style)."""

from __future__ import annotations

import pytest

from netpeer._ws.frames import (
    CloseCode,
    FrameParser,
    Opcode,
    frame_size,
    is_valid_close_code,
    serialize_frame,
)

KEY = b"\x37\xfa\x21\x3d"


def parse_all(data: bytes, client: bool = True, **kw):
    parser = FrameParser(client, **kw)
    frames: list = []
    consumed = parser.parse(data, frames)
    return parser, frames, consumed


# --- serializer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opcode", "payload", "wire"),
    [
        (Opcode.TEXT, b"hello", b"\x81\x05hello"),
        (Opcode.BINARY, b"\x01\x02\x03", b"\x82\x03\x01\x02\x03"),
        (Opcode.BINARY, b"", b"\x82\x00"),
        (Opcode.BINARY, b"x" * 126, b"\x82\x7e\x00\x7e" + b"x" * 126),
        (Opcode.BINARY, b"x" * 65535, b"\x82\x7e\xff\xff" + b"x" * 65535),
        (Opcode.BINARY, b"x" * 65536, b"\x82\x7f" + (65536).to_bytes(8, "big") + b"x" * 65536),
        (Opcode.CLOSE, b"\x03\xe8", b"\x88\x02\x03\xe8"),
        (Opcode.CLOSE, b"\x03\xe8bye", b"\x88\x05\x03\xe8bye"),
        (Opcode.CLOSE, b"\x0f\xa0", b"\x88\x02\x0f\xa0"),
        (Opcode.CLOSE, b"", b"\x88\x00"),
    ],
)
def test_serialize_godot_examples(opcode, payload, wire):
    assert bytes(serialize_frame(opcode, payload)) == wire
    assert frame_size(len(payload), False) == len(wire)


def test_serialize_masked_rfc_example():
    # websocket-handshake.md §3: send_text("Hello") with mask key 37 fa 21 3d
    assert serialize_frame(Opcode.TEXT, b"Hello", mask_key=KEY) == bytes.fromhex(
        "818537fa213d7f9f4d5158"
    )


@pytest.mark.parametrize("size", [0, 125, 126, 1023, 1024, 5000, 65535, 65536, 70001])
def test_serialize_masked_roundtrip(size):
    payload = bytes(range(256)) * (size // 256 + 1)
    payload = payload[:size]
    wire = bytes(serialize_frame(Opcode.BINARY, payload, mask_key=KEY))
    assert len(wire) == frame_size(size, True)
    _, frames, consumed = parse_all(wire, client=False, max_message_size=None)
    assert consumed == len(wire)
    assert frames == [(2, True, False, payload)]


def test_serialize_fin_rsv1_flags():
    assert serialize_frame(Opcode.TEXT, b"a", fin=False) == b"\x01\x01a"
    assert serialize_frame(Opcode.TEXT, b"a", rsv1=True) == b"\xc1\x01a"
    assert serialize_frame(Opcode.CONTINUATION, b"a") == b"\x80\x01a"


# --- parser: good input -------------------------------------------------------------------


def test_parse_unmasked_text_at_client():
    parser, frames, consumed = parse_all(b"\x81\x05hello")
    assert frames == [(1, True, False, b"hello")]
    assert consumed == 7
    assert parser.error_code == 0


def test_parse_masked_at_server():
    _, frames, _ = parse_all(bytes.fromhex("818537fa213d7f9f4d5158"), client=False)
    assert frames == [(1, True, False, b"Hello")]


def test_parse_several_frames_and_partial_tail():
    data = b"\x82\x01a\x89\x00\x8a\x02hi\x82\x05ab"
    parser, frames, consumed = parse_all(data)
    assert frames == [(2, True, False, b"a"), (9, True, False, b""), (10, True, False, b"hi")]
    assert consumed == 9  # the incomplete last frame is not consumed
    assert parser.need == 7


@pytest.mark.parametrize(
    ("prefix", "need"),
    [
        (b"", 2),
        (b"\x82", 2),
        (b"\x82\x7e", 4),
        (b"\x82\x7e\x00", 4),
        (b"\x82\x7e\x01\x00", 4 + 256),
        (b"\x82\x7f\x00\x00", 10),
        (b"\x82\x7f" + (65536).to_bytes(8, "big"), 10 + 65536),
    ],
)
def test_parse_never_consumes_partial_frames(prefix, need):
    parser, frames, consumed = parse_all(prefix, max_message_size=None)
    assert (frames, consumed, parser.error_code, parser.need) == ([], 0, 0, need)


def test_parse_16_and_64_bit_lengths():
    wire = b"\x82\x7e\x00\x7e" + b"y" * 126
    wire += b"\x82\x7f" + (65536).to_bytes(8, "big") + b"z" * 65536
    _, frames, consumed = parse_all(wire, max_message_size=None)
    assert [len(f[3]) for f in frames] == [126, 65536]
    assert consumed == len(wire)


def test_fragmented_message_with_control_frame_inside():
    data = b"\x01\x02he\x89\x01p\x00\x01l\x80\x02lo"
    _, frames, _ = parse_all(data)
    assert frames == [
        (1, False, False, b"he"),
        (9, True, False, b"p"),
        (0, False, False, b"l"),
        (0, True, False, b"lo"),
    ]


def test_nothing_is_parsed_after_a_close_frame():
    parser, frames, consumed = parse_all(b"\x88\x00\x82\x01a")
    assert frames == [(8, True, False, b"")]
    assert consumed == 5
    assert parser.closed
    assert parser.parse(b"\x82\x01a", frames) == 3
    assert len(frames) == 1


def test_rsv1_allowed_after_negotiation_only_on_first_data_frame():
    parser = FrameParser(True, rsv1_allowed=True)
    frames: list = []
    parser.parse(b"\x41\x01a\x80\x01b", frames)
    assert frames == [(1, False, True, b"a"), (0, True, False, b"b")]
    assert parser.error_code == 0


# --- parser: every rejection rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("client", "data", "code"),
    [
        # reserved opcodes
        (True, b"\x83\x00", 1002),
        (True, b"\x87\x00", 1002),
        (True, b"\x8b\x00", 1002),
        (True, b"\x8f\x00", 1002),
        # RSV bits without an extension
        (True, b"\xc2\x00", 1002),
        (True, b"\xa2\x00", 1002),
        (True, b"\x92\x00", 1002),
        # masking direction
        (False, b"\x82\x00", 1002),  # unmasked frame at a server
        (True, b"\x82\x80\x00\x00\x00\x00", 1002),  # masked frame at a client
        # control frames
        (True, b"\x89\x7e\x00\x7e" + b"x" * 126, 1002),  # > 125 bytes
        (True, b"\x09\x00", 1002),  # fragmented ping
        (True, b"\x08\x00", 1002),  # fragmented close
        (True, b"\xc9\x00", 1002),  # RSV1 on a control frame
        # lengths
        (True, b"\x82\x7e\x00\x7d" + b"x" * 125, 1002),  # non-minimal 16-bit
        (True, b"\x82\x7f" + (65535).to_bytes(8, "big"), 1002),  # non-minimal 64-bit
        (True, b"\x82\x7f\x80" + b"\x00" * 7, 1002),  # top bit set
        # fragmentation sequencing
        (True, b"\x80\x01a", 1002),  # continuation without start
        (True, b"\x01\x01a\x82\x01b", 1002),  # new data frame inside a fragmented message
        # size limit (65535 by default)
        (True, b"\x82\x7f" + (65536).to_bytes(8, "big"), 1009),
        (True, b"\x02\x7e\xff\xff" + b"x" * 65535 + b"\x80\x01x", 1009),
    ],
)
def test_parser_rejections(client, data, code):
    parser, _frames, consumed = parse_all(data, client=client)
    assert parser.error_code == code
    assert parser.error_detail
    assert consumed == len(data)
    # a dead parser ignores everything
    assert parser.parse(b"\x82\x01a", _frames) == 3


def test_too_big_is_detected_from_the_header_alone():
    parser, frames, _ = parse_all(b"\x82\x7f" + (1 << 40).to_bytes(8, "big"))
    assert parser.error_code == 1009
    assert frames == []


def test_limit_none_and_custom_limit():
    wire = b"\x82\x0a" + b"x" * 10
    assert parse_all(wire, max_message_size=9)[0].error_code == 1009
    assert parse_all(wire, max_message_size=10)[0].error_code == 0
    assert parse_all(wire, max_message_size=None)[0].error_code == 0


def test_compressed_limit_applies_to_compressed_messages():
    parser = FrameParser(True, 10, rsv1_allowed=True, max_compressed_size=20)
    frames: list = []
    parser.parse(b"\xc2\x0f" + b"x" * 15, frames)
    assert parser.error_code == 0
    parser.parse(b"\x82\x0f" + b"x" * 15, frames)
    assert parser.error_code == 1009


def test_close_codes():
    assert int(CloseCode.MESSAGE_TOO_BIG) == 1009
    valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999]
    invalid = [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535]
    assert all(is_valid_close_code(c) for c in valid)
    assert not any(is_valid_close_code(c) for c in invalid)
