"""Sans-I/O WebSocket (RFC 6455) core: bytes in, events and bytes out. Standard library only."""
