"""Unit tests of the Variant value types: constructors, equality, text, operators, coercion."""

from __future__ import annotations

import copy
import math
import pickle

import pytest

from engine.core.object import Object
from engine.core.variant import (
    RID,
    TYPE_ARRAY,
    TYPE_COLOR,
    TYPE_INT,
    TYPE_MAX,
    TYPE_NIL,
    TYPE_OBJECT,
    TYPE_PACKED_BYTE_ARRAY,
    TYPE_PACKED_COLOR_ARRAY,
    TYPE_STRING_NAME,
    TYPE_VECTOR2,
    Basis,
    Color,
    NodePath,
    PackedFloat32Array,
    PackedInt32Array,
    PackedInt64Array,
    PackedStringArray,
    PackedVector2Array,
    Projection,
    Rect2,
    Rect2i,
    StringName,
    Transform2D,
    Transform3D,
    Vector2,
    Vector2i,
    Vector3,
    Vector3i,
    Vector4,
    typeof,
)


def test_vector2_constructors_and_fields() -> None:
    assert Vector2() == Vector2(0, 0) == Vector2.ZERO
    v = Vector2(1, 2)
    assert (v.x, v.y) == (1.0, 2.0) and type(v.x) is float
    assert Vector2(Vector2i(3, -4)) == Vector2(3, -4)
    assert list(v) == [1.0, 2.0] and v[1] == 2.0
    with pytest.raises(TypeError):
        Vector2("1", 2)  # type: ignore[arg-type]


def test_vector2_is_immutable_and_hashable() -> None:
    v = Vector2(1, 2)
    with pytest.raises(AttributeError):
        v.x = 5  # type: ignore[misc]
    assert {v: 1}[Vector2(1.0, 2.0)] == 1
    assert copy.deepcopy(v) is v
    assert pickle.loads(pickle.dumps(v)) == v


def test_vector2_operators_and_methods() -> None:
    a, b = Vector2(3, 4), Vector2(1, 2)
    assert a + b == Vector2(4, 6) and a - b == Vector2(2, 2)
    assert a * 2 == 2 * a == Vector2(6, 8) and a * b == Vector2(3, 8)
    assert a / 2 == Vector2(1.5, 2) and -a == Vector2(-3, -4)
    assert a.length() == 5 and a.normalized().is_equal_approx(Vector2(0.6, 0.8))
    assert a.dot(b) == 11 and a.distance_to(Vector2(0, 0)) == 5
    assert Vector2(1, 0).rotated(math.pi / 2).is_equal_approx(Vector2(0, 1))
    assert Vector2(0, 1).angle() == pytest.approx(math.pi / 2)
    assert a.lerp(b, 0.5) == Vector2(2, 3)
    assert Vector2(1, 0) / 0 == Vector2(math.inf, math.nan) or math.isinf((Vector2(1, 0) / 0).x)
    assert Vector2(1, 2) != Vector2i(1, 2)


def test_text_forms() -> None:
    assert str(Vector2(1, 2)) == "(1, 2)" and repr(Vector2(1.5, 2)) == "Vector2(1.5, 2)"
    assert str(Vector2(math.pi, 0)) == "(3.141593, 0)"
    assert str(Vector3i(1, 2, 3)) == "(1, 2, 3)"
    assert str(Rect2(1, 2, 3, 4)) == "[P: (1, 2), S: (3, 4)]"
    assert str(Transform2D()) == "[X: (1, 0), Y: (0, 1), O: (0, 0)]"
    assert str(Color(1, 0.5, 0)) == "(1, 0.5, 0, 1)"
    assert str(RID()) == "RID(0)"


def test_integer_vectors_wrap_and_truncate() -> None:
    assert Vector2i(2**31, 1.9) == Vector2i(-(2**31), 1)
    assert Vector2i(7, -7) / 2 == Vector2i(3, -3)
    assert Vector2i(7, -7) % 2 == Vector2i(1, -1)
    assert Vector2i(Vector2(1.7, -1.7)) == Vector2i(1, -1)


def test_rects_transforms_basis() -> None:
    assert Rect2(Vector2(1, 2), Vector2(3, 4)) == Rect2(1, 2, 3, 4)
    assert Rect2(1, 2, 3, 4).end == Vector2(4, 6) and Rect2i(0, 0, 2, 2).has_point(Vector2i(1, 1))
    t = Transform2D(math.pi / 2, Vector2(10, 0))
    assert (t * Vector2(1, 0)).is_equal_approx(Vector2(10, 1))
    assert (t.affine_inverse() * (t * Vector2(3, 4))).is_equal_approx(Vector2(3, 4))
    b = Basis(Vector3(1, 4, 7), Vector3(2, 5, 8), Vector3(3, 6, 9))
    assert b._rows() == (1, 2, 3, 4, 5, 6, 7, 8, 9)
    assert (
        Basis(Vector3(0, 1, 0), math.pi / 2)
        .xform(Vector3(1, 0, 0))
        .is_equal_approx(Vector3(0, 0, -1))
    )
    x = Transform3D(Basis(), Vector3(1, 2, 3))
    assert x * Vector3(1, 1, 1) == Vector3(2, 3, 4)
    assert Projection(x).w == Vector4(1, 2, 3, 1)


def test_color() -> None:
    assert Color() == Color(0, 0, 0, 1)
    c = Color("#ff8800")
    assert (c.r8, c.g8, c.b8, c.a8) == (255, 136, 0, 255)
    assert c.to_html() == "ff8800ff" and c.to_html(False) == "ff8800"
    assert Color.html("#f80") == Color("ff8800") and Color("red") == Color.RED == Color(1, 0, 0)
    assert Color("#ff000080").a == pytest.approx(128 / 255)
    assert Color(c, 0.5).a == 0.5 and Color.hex(0x00FF00FF) == Color.GREEN
    assert Color(0.1, 0, 0).r == Color(0.10000000149011612, 0, 0).r  # stored as float32
    assert Color("not a colour") == Color()


def test_node_path() -> None:
    p = NodePath("/root/Main/Player:position:x")
    assert p.is_absolute() and p.get_name_count() == 3 and p.get_subname_count() == 2
    assert p.get_name(1) == "Main" and p.get_subname(1) == "x"
    assert str(p) == "/root/Main/Player:position:x"
    assert NodePath("a//b:") == NodePath("a/b") and str(NodePath("a//b")) == "a/b"
    assert NodePath("a::b").is_empty()
    assert p.get_concatenated_names() == "root/Main/Player"
    assert str(NodePath("a/b:c").get_as_property_path()) == ":a/b:c"
    assert NodePath("") == NodePath() and NodePath("/") != NodePath()
    assert {p: 1}[NodePath(str(p))] == 1
    assert p.get_name(9) == ""


def test_string_name() -> None:
    s = StringName("abc")
    assert s == "abc" and isinstance(s, str) and typeof(s) == TYPE_STRING_NAME
    assert repr(s) == "StringName('abc')"


def test_packed_arrays() -> None:
    a = PackedInt32Array([1, 2**31, 2.9])
    assert list(a) == [1, -(2**31), 2]
    a.append(2**32 + 5)
    assert a[-1] == 5 and a.size() == 4 and a.has(5) and a.find(5) == 3
    assert a == PackedInt32Array([1, -(2**31), 2, 5])
    assert a != PackedInt64Array([1, -(2**31), 2, 5]) and a != [1, -(2**31), 2, 5]
    assert PackedInt32Array([1, -1]).to_byte_array() == b"\x01\x00\x00\x00\xff\xff\xff\xff"
    f = PackedFloat32Array([0.1])
    assert f[0] == 0.10000000149011612 and f.to_byte_array() == b"\xcd\xcc\xcc\x3d"
    with pytest.raises(TypeError):
        PackedInt32Array(["x"])
    with pytest.raises(TypeError):
        PackedStringArray([1])
    with pytest.raises(TypeError):
        PackedVector2Array([(1, 2)])
    s = PackedStringArray(["a"])
    s.push_back("b")
    assert str(s) == '["a", "b"]' and s.slice(1) == PackedStringArray(["b"])
    assert s.resize(3) == 0 and list(s) == ["a", "b", ""]
    with pytest.raises(TypeError):
        hash(s)


def test_typeof() -> None:
    assert typeof(None) == TYPE_NIL and typeof(True) == 1 and typeof(3) == TYPE_INT
    assert typeof(Vector2()) == TYPE_VECTOR2 and typeof(Color()) == TYPE_COLOR
    assert typeof([]) == typeof(()) == TYPE_ARRAY and typeof(b"") == TYPE_PACKED_BYTE_ARRAY
    assert typeof(Object()) == TYPE_OBJECT and TYPE_PACKED_COLOR_ARRAY == 37
    assert TYPE_MAX == 38
    with pytest.raises(TypeError):
        typeof(object())


# -- every type of the issue: GDScript constructors, fields, value equality, repr ------------

from engine.core.callable import Callable  # noqa: E402
from engine.core.signal import Signal  # noqa: E402
from engine.core.variant import (  # noqa: E402
    AABB,
    PackedColorArray,
    PackedFloat64Array,
    PackedVector3Array,
    Plane,
    Quaternion,
    Vector4i,
)

# (value built with a GDScript constructor, the same value built another way, Godot's str())
_EVERY_TYPE = [
    (Vector2(1, 2), Vector2(Vector2i(1, 2)), "(1, 2)"),
    (Vector2i(1, 2), Vector2i(Vector2(1.9, 2.2)), "(1, 2)"),
    (Rect2(1, 2, 3, 4), Rect2(Vector2(1, 2), Vector2(3, 4)), "[P: (1, 2), S: (3, 4)]"),
    (Rect2i(1, 2, 3, 4), Rect2i(Rect2(1.5, 2, 3, 4)), "[P: (1, 2), S: (3, 4)]"),
    (Vector3(1, 2, 3), Vector3(Vector3i(1, 2, 3)), "(1, 2, 3)"),
    (Vector3i(1, 2, 3), Vector3i(Vector3(1.5, 2, 3)), "(1, 2, 3)"),
    (
        Transform2D(Vector2(1, 0), Vector2(0, 1), Vector2(5, 6)),
        Transform2D(0.0, Vector2(5, 6)),
        "[X: (1, 0), Y: (0, 1), O: (5, 6)]",
    ),
    (Vector4(1, 2, 3, 4), Vector4(Vector4i(1, 2, 3, 4)), "(1, 2, 3, 4)"),
    (Vector4i(1, 2, 3, 4), Vector4i(Vector4(1.2, 2, 3, 4)), "(1, 2, 3, 4)"),
    (Plane(0, 1, 0, 5), Plane(Vector3(0, 1, 0), Vector3(7, 5, 7)), "[N: (0, 1, 0), D: 5]"),
    (Quaternion(0, 0, 0, 1), Quaternion(Basis()), "(0, 0, 0, 1)"),
    (
        AABB(Vector3(1, 2, 3), Vector3(4, 5, 6)),
        AABB(AABB(Vector3(1, 2, 3), Vector3(4, 5, 6))),
        "[P: (1, 2, 3), S: (4, 5, 6)]",
    ),
    (
        Basis(),
        Basis(Quaternion()),
        "[X: (1, 0, 0), Y: (0, 1, 0), Z: (0, 0, 1)]",
    ),
    (
        Transform3D(Basis(), Vector3(1, 2, 3)),
        Transform3D(Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1), Vector3(1, 2, 3)),
        "[X: (1, 0, 0), Y: (0, 1, 0), Z: (0, 0, 1), O: (1, 2, 3)]",
    ),
    (Projection(), Projection(Transform3D()), "\n1, 0, 0, 0\n0, 1, 0, 0\n0, 0, 1, 0\n0, 0, 0, 1"),
    (Color(1, 0, 0), Color("#ff0000"), "(1, 0, 0, 1)"),
    (StringName("a"), StringName(StringName("a")), "a"),
    (NodePath("a/b:c"), NodePath(NodePath("a/b:c")), "a/b:c"),
    (RID(), RID(RID()), "RID(0)"),
    (Callable(), Callable(None, ""), "null::null"),
    (Signal(), Signal(None, ""), "null::[signal]"),
    (PackedInt32Array([1, 2]), PackedInt32Array(PackedInt32Array([1, 2])), "[1, 2]"),
    (PackedInt64Array([2**40]), PackedInt64Array([2**40]), "[1099511627776]"),
    (PackedFloat32Array([1.5]), PackedFloat32Array([1.5]), "[1.5]"),
    (PackedFloat64Array([0.1]), PackedFloat64Array([0.1]), "[0.1]"),
    (PackedStringArray(["a"]), PackedStringArray(("a",)), '["a"]'),
    (PackedVector2Array([Vector2(1, 2)]), PackedVector2Array([Vector2(1, 2)]), "[(1, 2)]"),
    (PackedVector3Array([Vector3(1, 2, 3)]), PackedVector3Array([Vector3(1, 2, 3)]), "[(1, 2, 3)]"),
    (PackedColorArray([Color(1, 0, 0)]), PackedColorArray([Color.RED]), "[(1, 0, 0, 1)]"),
]


@pytest.mark.parametrize(
    ("value", "same", "text"), _EVERY_TYPE, ids=[type(v[0]).__name__ for v in _EVERY_TYPE]
)
def test_every_variant_type_constructs_compares_and_prints(
    value: object, same: object, text: str
) -> None:
    assert value == same
    assert (value != same) is False
    assert str(value) == text
    namespace = {
        type(value).__name__: type(value),
        **{cls.__name__: cls for cls in (Vector2, Vector3, Vector4, Basis, Color)},
    }
    if not isinstance(value, (RID, Callable, Signal)):  # repr is Godot's text for these
        assert eval(repr(value), namespace) == value  # repr is the constructor call
    assert repr(value).startswith(type(value).__name__ + "(")
    assert value != 12345 and value is not None


def test_variant_equality_is_by_type_and_value() -> None:
    assert Vector2(1, 2) != Vector2(1, 3) and Vector3(1, 2, 3) != Vector3i(1, 2, 3)
    assert Rect2(1, 2, 3, 4) != Rect2i(1, 2, 3, 4) and Vector4(1, 2, 3, 4) != Quaternion(1, 2, 3, 4)
    assert Plane(0, 1, 0, 5) != Plane(0, 1, 0, 6) and Color(1, 0, 0) != Color(1, 0, 0, 0.5)
    assert PackedFloat32Array([1.0]) != PackedFloat64Array([1.0])
    assert PackedVector2Array([Vector2(1, 2)]) != PackedVector2Array([Vector2(2, 1)])
    assert NodePath("a") != StringName("a") and StringName("a") == "a"


def test_fields_of_compound_types() -> None:
    r = Rect2(1, 2, 3, 4)
    assert (r.position, r.size, r.end) == (Vector2(1, 2), Vector2(3, 4), Vector2(4, 6))
    p = Plane(0, 1, 0, 5)
    assert (p.normal, p.d, p.x, p.y, p.z) == (Vector3(0, 1, 0), 5.0, 0.0, 1.0, 0.0)
    box = AABB(Vector3(1, 2, 3), Vector3(4, 5, 6))
    assert (box.position, box.size, box.end) == (
        Vector3(1, 2, 3),
        Vector3(4, 5, 6),
        Vector3(5, 7, 9),
    )
    t = Transform2D(Vector2(1, 2), Vector2(3, 4), Vector2(5, 6))
    assert (t.x, t.y, t.origin) == (Vector2(1, 2), Vector2(3, 4), Vector2(5, 6))
    x = Transform3D(Basis(), Vector3(1, 2, 3))
    assert (x.basis, x.origin) == (Basis(), Vector3(1, 2, 3))
    assert Projection().w == Vector4(0, 0, 0, 1) and Vector4i(1, 2, 3, 4).w == 4
    q = Quaternion(1, 2, 3, 4)
    assert (q.x, q.y, q.z, q.w) == (1, 2, 3, 4)
    c = Color(1, 0.5, 0.25, 0.75)
    assert (c.r, c.g, c.b, c.a, c.r8) == (1, 0.5, 0.25, 0.75, 255)


def test_quaternion_and_transform3d_constructors() -> None:
    for axis in (Vector3(1, 0, 0), Vector3(0, 0, 1), Vector3(1, 1, 1).normalized()):
        for angle in (0.3, 2.5, math.pi, -3.0):
            from_axis = Quaternion(axis, angle)
            from_basis = Quaternion(Basis(axis, angle))
            assert from_axis.is_equal_approx(from_basis) or from_axis.is_equal_approx(-from_basis)
    assert Quaternion(Vector3(1, 0, 0), Vector3(0, 1, 0)).is_equal_approx(
        Quaternion(Vector3(0, 0, 1), math.pi / 2)
    )
    assert Quaternion(Vector3(1, 0, 0), Vector3(-1, 0, 0)) == Quaternion(0, 1, 0, 0)
    t = Transform3D(Basis(Vector3(0, 1, 0), 0.5), Vector3(1, 2, 3))
    assert Transform3D(Projection(t)) == t
    with pytest.raises(TypeError):
        Quaternion("x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Transform3D(Vector3())  # type: ignore[arg-type]
