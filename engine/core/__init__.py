"""Godot's core object model: errors, objects, signals, Variant value types.

Imports only the standard library.
"""
