"""The pygame platform layer: the only part of the project that imports pygame."""
