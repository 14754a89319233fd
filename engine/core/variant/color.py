"""Godot's ``Color``: an immutable RGBA colour with float32 components (Godot stores floats).

Components are rounded to float32 on construction, as in Godot, so a Color survives the
binary codec unchanged. ``Color("#ff8800")``, ``Color("red")``, ``Color.html()``,
``Color.hex()`` and a subset of Godot's named colours are provided.
"""

from __future__ import annotations

import colorsys
import math
from typing import Any

from engine.core.messages import push_error
from engine.core.variant._common import FrozenValue, approx, num, real, to_float32

_set = object.__setattr__

_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _from_rgba32(value: int) -> tuple[float, float, float, float]:
    return (
        ((value >> 24) & 0xFF) / 255.0,
        ((value >> 16) & 0xFF) / 255.0,
        ((value >> 8) & 0xFF) / 255.0,
        (value & 0xFF) / 255.0,
    )


# Godot's named colours (core/math/color_names.inc), a useful subset, as 0xRRGGBBAA.
_NAMED: dict[str, int] = {
    "ALICE_BLUE": 0xF0F8FFFF,
    "AQUA": 0x00FFFFFF,
    "AQUAMARINE": 0x7FFFD4FF,
    "BEIGE": 0xF5F5DCFF,
    "BLACK": 0x000000FF,
    "BLUE": 0x0000FFFF,
    "BROWN": 0xA52A2AFF,
    "CHOCOLATE": 0xD2691EFF,
    "CORAL": 0xFF7F50FF,
    "CORNFLOWER_BLUE": 0x6495EDFF,
    "CRIMSON": 0xDC143CFF,
    "CYAN": 0x00FFFFFF,
    "DARK_BLUE": 0x00008BFF,
    "DARK_GRAY": 0xA9A9A9FF,
    "DARK_GREEN": 0x006400FF,
    "DARK_RED": 0x8B0000FF,
    "DIM_GRAY": 0x696969FF,
    "FOREST_GREEN": 0x228B22FF,
    "FUCHSIA": 0xFF00FFFF,
    "GOLD": 0xFFD700FF,
    "GRAY": 0xBEBEBEFF,
    "GREEN": 0x00FF00FF,
    "HOT_PINK": 0xFF69B4FF,
    "INDIGO": 0x4B0082FF,
    "IVORY": 0xFFFFF0FF,
    "KHAKI": 0xF0E68CFF,
    "LAVENDER": 0xE6E6FAFF,
    "LIGHT_BLUE": 0xADD8E6FF,
    "LIGHT_GRAY": 0xD3D3D3FF,
    "LIGHT_GREEN": 0x90EE90FF,
    "LIME": 0x00FF00FF,
    "LIME_GREEN": 0x32CD32FF,
    "MAGENTA": 0xFF00FFFF,
    "MAROON": 0xB03060FF,
    "NAVY_BLUE": 0x000080FF,
    "OLIVE": 0x808000FF,
    "ORANGE": 0xFFA500FF,
    "ORANGE_RED": 0xFF4500FF,
    "ORCHID": 0xDA70D6FF,
    "PINK": 0xFFC0CBFF,
    "PURPLE": 0xA020F0FF,
    "REBECCA_PURPLE": 0x663399FF,
    "RED": 0xFF0000FF,
    "SALMON": 0xFA8072FF,
    "SILVER": 0xC0C0C0FF,
    "SKY_BLUE": 0x87CEEBFF,
    "SLATE_GRAY": 0x708090FF,
    "TAN": 0xD2B48CFF,
    "TEAL": 0x008080FF,
    "TOMATO": 0xFF6347FF,
    "TRANSPARENT": 0xFFFFFF00,
    "TURQUOISE": 0x40E0D0FF,
    "VIOLET": 0xEE82EEFF,
    "WEB_GRAY": 0x808080FF,
    "WEB_GREEN": 0x008000FF,
    "WEB_MAROON": 0x800000FF,
    "WEB_PURPLE": 0x800080FF,
    "WHITE": 0xFFFFFFFF,
    "YELLOW": 0xFFFF00FF,
    "YELLOW_GREEN": 0x9ACD32FF,
}


class Color(FrozenValue):
    """``Color()`` (opaque black), ``Color(r, g, b, a=1.0)``, ``Color(color, alpha)``,
    ``Color("#rrggbb[aa]" or "#rgb[a]" or a colour name[, alpha])``."""

    __slots__ = ("a", "b", "g", "r")
    r: float
    g: float
    b: float
    a: float

    ALICE_BLUE: Color
    AQUA: Color
    AQUAMARINE: Color
    BEIGE: Color
    BLACK: Color
    BLUE: Color
    BROWN: Color
    CHOCOLATE: Color
    CORAL: Color
    CORNFLOWER_BLUE: Color
    CRIMSON: Color
    CYAN: Color
    DARK_BLUE: Color
    DARK_GRAY: Color
    DARK_GREEN: Color
    DARK_RED: Color
    DIM_GRAY: Color
    FOREST_GREEN: Color
    FUCHSIA: Color
    GOLD: Color
    GRAY: Color
    GREEN: Color
    HOT_PINK: Color
    INDIGO: Color
    IVORY: Color
    KHAKI: Color
    LAVENDER: Color
    LIGHT_BLUE: Color
    LIGHT_GRAY: Color
    LIGHT_GREEN: Color
    LIME: Color
    LIME_GREEN: Color
    MAGENTA: Color
    MAROON: Color
    NAVY_BLUE: Color
    OLIVE: Color
    ORANGE: Color
    ORANGE_RED: Color
    ORCHID: Color
    PINK: Color
    PURPLE: Color
    REBECCA_PURPLE: Color
    RED: Color
    SALMON: Color
    SILVER: Color
    SKY_BLUE: Color
    SLATE_GRAY: Color
    TAN: Color
    TEAL: Color
    TOMATO: Color
    TRANSPARENT: Color
    TURQUOISE: Color
    VIOLET: Color
    WEB_GRAY: Color
    WEB_GREEN: Color
    WEB_MAROON: Color
    WEB_PURPLE: Color
    WHITE: Color
    YELLOW: Color
    YELLOW_GREEN: Color

    def __init__(self, *args: Any) -> None:
        values: tuple[float, ...]
        if not args:
            values = (0.0, 0.0, 0.0, 1.0)
        elif isinstance(args[0], Color) and len(args) <= 2:
            src = args[0]
            values = (src.r, src.g, src.b, real(args[1]) if len(args) == 2 else src.a)
        elif isinstance(args[0], str) and len(args) <= 2:
            src = Color._from_code(args[0])
            values = (src.r, src.g, src.b, real(args[1]) if len(args) == 2 else src.a)
        elif len(args) in (3, 4):
            values = (real(args[0]), real(args[1]), real(args[2]))
            values += (real(args[3]) if len(args) == 4 else 1.0,)
        else:
            raise TypeError("unsupported Color() arguments")
        _set(self, "r", to_float32(values[0]))
        _set(self, "g", to_float32(values[1]))
        _set(self, "b", to_float32(values[2]))
        _set(self, "a", to_float32(values[3]))

    @classmethod
    def _make(cls, r: float, g: float, b: float, a: float) -> Color:
        """Build from float32-exact components without checks (codec fast path)."""
        c = object.__new__(cls)
        _set(c, "r", r)
        _set(c, "g", g)
        _set(c, "b", b)
        _set(c, "a", a)
        return c

    def _args(self) -> tuple[Any, ...]:
        return (self.r, self.g, self.b, self.a)

    @staticmethod
    def _from_code(code: str) -> Color:
        if Color.html_is_valid(code):
            return Color.html(code)
        return Color._named(code)

    @staticmethod
    def _named(name: str) -> Color:
        key = name
        for ch in " -_'.":
            key = key.replace(ch, "")
        key = key.upper()
        for named, value in _NAMED.items():
            if named.replace("_", "") == key:
                return Color(*_from_rgba32(value))
        push_error(f"Invalid color name: {name}.")
        return Color()

    # Value semantics
    def __eq__(self, other: object) -> bool:
        if type(other) is Color:
            return (
                self.r == other.r and self.g == other.g and self.b == other.b and self.a == other.a
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Color, self.r, self.g, self.b, self.a))

    def __str__(self) -> str:
        return f"({num(self.r)}, {num(self.g)}, {num(self.b)}, {num(self.a)})"

    def __iter__(self) -> Any:
        return iter((self.r, self.g, self.b, self.a))

    def __getitem__(self, index: int) -> float:
        return (self.r, self.g, self.b, self.a)[index]

    # Operators (component-wise, like Godot)
    def __add__(self, o: Color) -> Color:
        if type(o) is not Color:
            return NotImplemented
        return Color(self.r + o.r, self.g + o.g, self.b + o.b, self.a + o.a)

    def __sub__(self, o: Color) -> Color:
        if type(o) is not Color:
            return NotImplemented
        return Color(self.r - o.r, self.g - o.g, self.b - o.b, self.a - o.a)

    def __mul__(self, o: Color | float) -> Color:
        if type(o) is Color:
            return Color(self.r * o.r, self.g * o.g, self.b * o.b, self.a * o.a)
        if isinstance(o, (int, float)):
            return Color(self.r * o, self.g * o, self.b * o, self.a * o)
        return NotImplemented

    def __rmul__(self, o: float) -> Color:
        return self.__mul__(o)

    def __truediv__(self, o: Color | float) -> Color:
        from engine.core.variant.vector2 import _div

        if type(o) is Color:
            return Color(_div(self.r, o.r), _div(self.g, o.g), _div(self.b, o.b), _div(self.a, o.a))
        if isinstance(o, (int, float)):
            return Color(_div(self.r, o), _div(self.g, o), _div(self.b, o), _div(self.a, o))
        return NotImplemented

    def __neg__(self) -> Color:
        return Color(1.0 - self.r, 1.0 - self.g, 1.0 - self.b, 1.0 - self.a)

    # 8-bit and HSV views
    @property
    def r8(self) -> int:
        return _round_away(self.r * 255.0)

    @property
    def g8(self) -> int:
        return _round_away(self.g * 255.0)

    @property
    def b8(self) -> int:
        return _round_away(self.b * 255.0)

    @property
    def a8(self) -> int:
        return _round_away(self.a * 255.0)

    @property
    def h(self) -> float:
        return colorsys.rgb_to_hsv(self.r, self.g, self.b)[0]

    @property
    def s(self) -> float:
        return colorsys.rgb_to_hsv(self.r, self.g, self.b)[1]

    @property
    def v(self) -> float:
        return colorsys.rgb_to_hsv(self.r, self.g, self.b)[2]

    # Methods
    def to_html(self, with_alpha: bool = True) -> str:
        parts = [self.r, self.g, self.b] + ([self.a] if with_alpha else [])
        return "".join(f"{_to_byte(p):02x}" for p in parts)

    def to_rgba32(self) -> int:
        return (
            (self.r8 & 0xFF) << 24
            | (self.g8 & 0xFF) << 16
            | (self.b8 & 0xFF) << 8
            | (self.a8 & 0xFF)
        )

    def lerp(self, to: Color, weight: float) -> Color:
        return Color(
            self.r + (to.r - self.r) * weight,
            self.g + (to.g - self.g) * weight,
            self.b + (to.b - self.b) * weight,
            self.a + (to.a - self.a) * weight,
        )

    def inverted(self) -> Color:
        return Color(1.0 - self.r, 1.0 - self.g, 1.0 - self.b, self.a)

    def lightened(self, amount: float) -> Color:
        return Color(
            self.r + (1.0 - self.r) * amount,
            self.g + (1.0 - self.g) * amount,
            self.b + (1.0 - self.b) * amount,
            self.a,
        )

    def darkened(self, amount: float) -> Color:
        return Color(
            self.r * (1.0 - amount), self.g * (1.0 - amount), self.b * (1.0 - amount), self.a
        )

    def clamp(self, min: Color | None = None, max: Color | None = None) -> Color:
        lo = min if min is not None else Color(0.0, 0.0, 0.0, 0.0)
        hi = max if max is not None else Color(1.0, 1.0, 1.0, 1.0)
        return Color(
            *(
                lo_c if c < lo_c else (hi_c if c > hi_c else c)
                for c, lo_c, hi_c in zip(self, lo, hi, strict=True)
            )
        )

    def get_luminance(self) -> float:
        return 0.2126 * self.r + 0.7152 * self.g + 0.0722 * self.b

    def is_equal_approx(self, to: Color) -> bool:
        return all(approx(a, b) for a, b in zip(self, to, strict=True))

    # Static constructors
    @staticmethod
    def html(rgba: str) -> Color:
        code = rgba[1:] if rgba.startswith("#") else rgba
        if len(code) not in (3, 4, 6, 8) or not all(ch in _HEX_DIGITS for ch in code):
            push_error(f"Invalid color code: {rgba}.")
            return Color()
        if len(code) <= 4:
            values = [int(ch, 16) / 15.0 for ch in code]
        else:
            values = [int(code[i : i + 2], 16) / 255.0 for i in range(0, len(code), 2)]
        if len(values) == 3:
            values.append(1.0)
        return Color(*values)

    @staticmethod
    def html_is_valid(color: str) -> bool:
        code = color[1:] if color.startswith("#") else color
        return len(code) in (3, 4, 6, 8) and all(ch in _HEX_DIGITS for ch in code)

    @staticmethod
    def hex(hex: int) -> Color:
        return Color(*_from_rgba32(hex & 0xFFFFFFFF))

    @staticmethod
    def from_string(str: str, default: Color) -> Color:
        if Color.html_is_valid(str):
            return Color.html(str)
        key = str
        for ch in " -_'.":
            key = key.replace(ch, "")
        if any(named.replace("_", "") == key.upper() for named in _NAMED):
            return Color._named(str)
        return default

    @staticmethod
    def from_hsv(h: float, s: float, v: float, alpha: float = 1.0) -> Color:
        r, g, b = colorsys.hsv_to_rgb(h % 1.0 if math.isfinite(h) else 0.0, s, v)
        return Color(r, g, b, alpha)


def _round_away(value: float) -> int:
    """C ``round()`` to an int (halves away from zero); non-finite gives 0."""
    if not math.isfinite(value):
        return 0
    magnitude = math.floor(abs(value) + 0.5)
    return int(magnitude if value >= 0 else -magnitude)


def _to_byte(value: float) -> int:
    v = math.floor(value * 255.0 + 0.5) if math.isfinite(value) else 0
    return 0 if v < 0 else (255 if v > 255 else int(v))


for _name, _value in _NAMED.items():
    setattr(Color, _name, Color(*_from_rgba32(_value)))
