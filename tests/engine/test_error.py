"""``Error``: every Godot name, value and text (spec §1), and ``error_string()``."""

from __future__ import annotations

import re
from enum import IntEnum
from pathlib import Path

import pytest

import engine
from engine.core.error import Error, error_string

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "godot-networking.md"

# core/error/error_list.h / error_list.cpp, Godot 4.2
GODOT_ERRORS = [
    ("OK", "OK"),
    ("FAILED", "Failed"),
    ("ERR_UNAVAILABLE", "Unavailable"),
    ("ERR_UNCONFIGURED", "Unconfigured"),
    ("ERR_UNAUTHORIZED", "Unauthorized"),
    ("ERR_PARAMETER_RANGE_ERROR", "Parameter out of range"),
    ("ERR_OUT_OF_MEMORY", "Out of memory"),
    ("ERR_FILE_NOT_FOUND", "File not found"),
    ("ERR_FILE_BAD_DRIVE", "File: Bad drive"),
    ("ERR_FILE_BAD_PATH", "File: Bad path"),
    ("ERR_FILE_NO_PERMISSION", "File: Permission denied"),
    ("ERR_FILE_ALREADY_IN_USE", "File already in use"),
    ("ERR_FILE_CANT_OPEN", "Can't open file"),
    ("ERR_FILE_CANT_WRITE", "Can't write file"),
    ("ERR_FILE_CANT_READ", "Can't read file"),
    ("ERR_FILE_UNRECOGNIZED", "File unrecognized"),
    ("ERR_FILE_CORRUPT", "File corrupt"),
    ("ERR_FILE_MISSING_DEPENDENCIES", "Missing dependencies for file"),
    ("ERR_FILE_EOF", "End of file"),
    ("ERR_CANT_OPEN", "Can't open"),
    ("ERR_CANT_CREATE", "Can't create"),
    ("ERR_QUERY_FAILED", "Query failed"),
    ("ERR_ALREADY_IN_USE", "Already in use"),
    ("ERR_LOCKED", "Locked"),
    ("ERR_TIMEOUT", "Timeout"),
    ("ERR_CANT_CONNECT", "Can't connect"),
    ("ERR_CANT_RESOLVE", "Can't resolve"),
    ("ERR_CONNECTION_ERROR", "Connection error"),
    ("ERR_CANT_ACQUIRE_RESOURCE", "Can't acquire resource"),
    ("ERR_CANT_FORK", "Can't fork"),
    ("ERR_INVALID_DATA", "Invalid data"),
    ("ERR_INVALID_PARAMETER", "Invalid parameter"),
    ("ERR_ALREADY_EXISTS", "Already exists"),
    ("ERR_DOES_NOT_EXIST", "Does not exist"),
    ("ERR_DATABASE_CANT_READ", "Can't read database"),
    ("ERR_DATABASE_CANT_WRITE", "Can't write database"),
    ("ERR_COMPILATION_FAILED", "Compilation failed"),
    ("ERR_METHOD_NOT_FOUND", "Method not found"),
    ("ERR_LINK_FAILED", "Link failed"),
    ("ERR_SCRIPT_FAILED", "Script failed"),
    ("ERR_CYCLIC_LINK", "Cyclic link detected"),
    ("ERR_INVALID_DECLARATION", "Invalid declaration"),
    ("ERR_DUPLICATE_SYMBOL", "Duplicate symbol"),
    ("ERR_PARSE_ERROR", "Parse error"),
    ("ERR_BUSY", "Busy"),
    ("ERR_SKIP", "Skip"),
    ("ERR_HELP", "Help"),
    ("ERR_BUG", "Bug"),
    ("ERR_PRINTER_ON_FIRE", "Printer on fire"),
]


def test_every_godot_error_name_value_and_text() -> None:
    assert issubclass(Error, IntEnum)
    assert [(e.name, e.value) for e in Error] == [
        (name, value) for value, (name, _) in enumerate(GODOT_ERRORS)
    ]
    for value, (name, text) in enumerate(GODOT_ERRORS):
        assert Error[name] == value
        assert error_string(Error[name]) == text
        assert error_string(value) == text  # plain ints too, like GDScript


def test_table_matches_the_spec() -> None:
    if not SPEC.exists():
        pytest.skip(f"spec not found at {SPEC} (repository used on its own)")
    rows = re.findall(r"^\| (\d+) \| (\w+) \| (.+?) \|$", SPEC.read_text(encoding="utf-8"), re.M)
    table = [(name, text) for number, name, text in rows if name != "ERR_MAX"]
    assert table[: len(GODOT_ERRORS)] == GODOT_ERRORS
    assert [int(number) for number, name, _ in rows if name != "ERR_MAX"][:49] == list(range(49))


@pytest.mark.parametrize("value", [-1, 49, 1000])
def test_error_string_of_an_unknown_code(value: int) -> None:
    assert error_string(value) == "(invalid error code)"


def test_errors_behave_as_ints_and_read_well() -> None:
    assert Error.ERR_INVALID_PARAMETER == 31 and Error.OK == 0 and not Error.OK
    assert repr(Error.ERR_BUSY) == "Error.ERR_BUSY"
    assert engine.OK is Error.OK and engine.FAILED is Error.FAILED
    assert engine.error_string is error_string
