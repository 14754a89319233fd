"""Godot 4's networking classes for Python: StreamPeer, PacketPeer, TCP, UDP, TLS, WebSocket."""

from __future__ import annotations
