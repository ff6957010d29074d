package dev.shoal.internal.codec;

import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Value classes the codec tests send: records, enums, and ordinary classes of every shape. */
final class CodecFixtures {
  private CodecFixtures() {}

  record Point(int x, int y) {}

  record Line(Point from, Point to, String label) {}

  record Primitives(boolean z, byte b, short s, char c, int i, long l, float f, double d) {}

  record Catalog(List<Map<String, Point>> pages) {}

  record Holder(Object value, Comparable<?> comparable, Shape shape) {}

  record Validated(int positive) {
    Validated {
      if (positive <= 0) {
        throw new IllegalArgumentException("positive must be > 0");
      }
    }
  }

  record Empty() {}

  sealed interface Shape permits Circle, Square {}

  record Circle(double radius) implements Shape {}

  record Square(double side) implements Shape {}

  enum Color {
    RED,
    GREEN {
      @Override
      String describe() {
        return "the colour of grass";
      }
    },
    BLUE;

    String describe() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A superclass with private and final state and no no-arg constructor. */
  static class Base {
    private final String baseName;
    protected int count;

    Base(String baseName, int count) {
      this.baseName = baseName;
      this.count = count;
    }

    String baseName() {
      return baseName;
    }
  }

  /** An ordinary class: final and private fields, inherited fields, transient and static fields. */
  static final class Job extends Base {
    static int instances = 42;
    private final List<Point> points;
    private final Object payload;
    private transient String cache = "cached";
    private Color color;
    private long[] samples;

    Job(String name, int count, List<Point> points, Object payload, Color color, long[] samples) {
      super(name, count);
      this.points = points;
      this.payload = payload;
      this.color = color;
      this.samples = samples;
    }

    List<Point> points() {
      return points;
    }

    Object payload() {
      return payload;
    }

    String cache() {
      return cache;
    }

    Color color() {
      return color;
    }

    long[] samples() {
      return samples;
    }
  }

  /** A class whose fields are declared with concrete JDK collection types. */
  static final class Concrete {
    final LinkedList<String> names;
    final TreeMap<String, Integer> ranks;

    Concrete(LinkedList<String> names, TreeMap<String, Integer> ranks) {
      this.names = names;
      this.ranks = ranks;
    }
  }

  /** A linked node, for cycles and deep chains. */
  static final class Node {
    final int value;
    Node next;

    Node(int value, Node next) {
      this.value = value;
      this.next = next;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Node n && n.value == value && Objects.equals(n.next, next);
    }

    @Override
    public int hashCode() {
      return value;
    }
  }

  static Node chain(int length) {
    Node head = null;
    for (int i = length - 1; i >= 0; i--) {
      head = new Node(i, head);
    }
    return head;
  }
}
