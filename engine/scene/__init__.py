"""Godot's scene system: Node, SceneTree, Timer, Node2D, CanvasItem. No pygame here."""
