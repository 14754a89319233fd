"""Godot's ``Error`` enum with the engine's exact values and texts.

Godot: core/error/error_list.h. Public methods across engine and netpeer return these
values where Godot returns ``Error``; ``error_string()`` gives the same text as GDScript's.
"""

from __future__ import annotations

from enum import IntEnum


class Error(IntEnum):
    """Error codes shared by the whole engine (``@GlobalScope.Error``)."""

    OK = 0
    FAILED = 1
    ERR_UNAVAILABLE = 2
    ERR_UNCONFIGURED = 3
    ERR_UNAUTHORIZED = 4
    ERR_PARAMETER_RANGE_ERROR = 5
    ERR_OUT_OF_MEMORY = 6
    ERR_FILE_NOT_FOUND = 7
    ERR_FILE_BAD_DRIVE = 8
    ERR_FILE_BAD_PATH = 9
    ERR_FILE_NO_PERMISSION = 10
    ERR_FILE_ALREADY_IN_USE = 11
    ERR_FILE_CANT_OPEN = 12
    ERR_FILE_CANT_WRITE = 13
    ERR_FILE_CANT_READ = 14
    ERR_FILE_UNRECOGNIZED = 15
    ERR_FILE_CORRUPT = 16
    ERR_FILE_MISSING_DEPENDENCIES = 17
    ERR_FILE_EOF = 18
    ERR_CANT_OPEN = 19
    ERR_CANT_CREATE = 20
    ERR_QUERY_FAILED = 21
    ERR_ALREADY_IN_USE = 22
    ERR_LOCKED = 23
    ERR_TIMEOUT = 24
    ERR_CANT_CONNECT = 25
    ERR_CANT_RESOLVE = 26
    ERR_CONNECTION_ERROR = 27
    ERR_CANT_ACQUIRE_RESOURCE = 28
    ERR_CANT_FORK = 29
    ERR_INVALID_DATA = 30
    ERR_INVALID_PARAMETER = 31
    ERR_ALREADY_EXISTS = 32
    ERR_DOES_NOT_EXIST = 33
    ERR_DATABASE_CANT_READ = 34
    ERR_DATABASE_CANT_WRITE = 35
    ERR_COMPILATION_FAILED = 36
    ERR_METHOD_NOT_FOUND = 37
    ERR_LINK_FAILED = 38
    ERR_SCRIPT_FAILED = 39
    ERR_CYCLIC_LINK = 40
    ERR_INVALID_DECLARATION = 41
    ERR_DUPLICATE_SYMBOL = 42
    ERR_PARSE_ERROR = 43
    ERR_BUSY = 44
    ERR_SKIP = 45
    ERR_HELP = 46
    ERR_BUG = 47
    ERR_PRINTER_ON_FIRE = 48

    def __repr__(self) -> str:
        return f"Error.{self.name}"


_TEXTS: dict[Error, str] = {
    Error.OK: "OK",
    Error.FAILED: "Failed",
    Error.ERR_UNAVAILABLE: "Unavailable",
    Error.ERR_UNCONFIGURED: "Unconfigured",
    Error.ERR_UNAUTHORIZED: "Unauthorized",
    Error.ERR_PARAMETER_RANGE_ERROR: "Parameter out of range",
    Error.ERR_OUT_OF_MEMORY: "Out of memory",
    Error.ERR_FILE_NOT_FOUND: "File not found",
    Error.ERR_FILE_BAD_DRIVE: "File: Bad drive",
    Error.ERR_FILE_BAD_PATH: "File: Bad path",
    Error.ERR_FILE_NO_PERMISSION: "File: Permission denied",
    Error.ERR_FILE_ALREADY_IN_USE: "File already in use",
    Error.ERR_FILE_CANT_OPEN: "Can't open file",
    Error.ERR_FILE_CANT_WRITE: "Can't write file",
    Error.ERR_FILE_CANT_READ: "Can't read file",
    Error.ERR_FILE_UNRECOGNIZED: "File unrecognized",
    Error.ERR_FILE_CORRUPT: "File corrupt",
    Error.ERR_FILE_MISSING_DEPENDENCIES: "Missing dependencies for file",
    Error.ERR_FILE_EOF: "End of file",
    Error.ERR_CANT_OPEN: "Can't open",
    Error.ERR_CANT_CREATE: "Can't create",
    Error.ERR_QUERY_FAILED: "Query failed",
    Error.ERR_ALREADY_IN_USE: "Already in use",
    Error.ERR_LOCKED: "Locked",
    Error.ERR_TIMEOUT: "Timeout",
    Error.ERR_CANT_CONNECT: "Can't connect",
    Error.ERR_CANT_RESOLVE: "Can't resolve",
    Error.ERR_CONNECTION_ERROR: "Connection error",
    Error.ERR_CANT_ACQUIRE_RESOURCE: "Can't acquire resource",
    Error.ERR_CANT_FORK: "Can't fork",
    Error.ERR_INVALID_DATA: "Invalid data",
    Error.ERR_INVALID_PARAMETER: "Invalid parameter",
    Error.ERR_ALREADY_EXISTS: "Already exists",
    Error.ERR_DOES_NOT_EXIST: "Does not exist",
    Error.ERR_DATABASE_CANT_READ: "Can't read database",
    Error.ERR_DATABASE_CANT_WRITE: "Can't write database",
    Error.ERR_COMPILATION_FAILED: "Compilation failed",
    Error.ERR_METHOD_NOT_FOUND: "Method not found",
    Error.ERR_LINK_FAILED: "Link failed",
    Error.ERR_SCRIPT_FAILED: "Script failed",
    Error.ERR_CYCLIC_LINK: "Cyclic link detected",
    Error.ERR_INVALID_DECLARATION: "Invalid declaration",
    Error.ERR_DUPLICATE_SYMBOL: "Duplicate symbol",
    Error.ERR_PARSE_ERROR: "Parse error",
    Error.ERR_BUSY: "Busy",
    Error.ERR_SKIP: "Skip",
    Error.ERR_HELP: "Help",
    Error.ERR_BUG: "Bug",
    Error.ERR_PRINTER_ON_FIRE: "Printer on fire",
}


def error_string(error: int) -> str:
    """Return Godot's human-readable text for ``error``; ``"(invalid error code)"`` if unknown."""
    try:
        return _TEXTS[Error(error)]
    except ValueError:
        return "(invalid error code)"
