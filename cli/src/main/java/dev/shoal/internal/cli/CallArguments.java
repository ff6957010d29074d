package dev.shoal.internal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.Args2;
import dev.shoal.Args3;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@code shoal call APP FUNCTION ARGS…} as the function receives them. Each is JSON: a number is an
 * {@code Integer} when it fits, else a {@code Long}, or a {@code Double} with a fraction or exponent; {@code true},
 * {@code false} and {@code null}; an array is a {@code List} and an object a {@code Map} with string keys. A word
 * that is not JSON ({@code hello}) is a {@code String}, as is any quoted JSON string. Two or three arguments call a
 * function of two or three parameters. An object that names a record class in {@code "@type"} is that record, made
 * from its other fields by their components' types ({@code {"@type":"com.example.Point","x":1,"y":2}}), with the
 * app's classes from {@code --classpath}: a function's parameter types are erased, so the CLI cannot tell them.
 */
final class CallArguments {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final String TYPE = "@type";

  private CallArguments() {}

  /** The function's input: its one argument, or the {@code Args2}/{@code Args3} of two or three. */
  static Object input(List<String> args) {
    List<Object> values = args.stream().map(CallArguments::value).toList();
    return switch (values.size()) {
      case 1 -> values.get(0);
      case 2 -> new Args2<>(values.get(0), values.get(1));
      case 3 -> new Args3<>(values.get(0), values.get(1), values.get(2));
      default -> throw new IllegalArgumentException("a function takes 1 to 3 arguments, and " + values.size()
          + " were given");
    };
  }

  /** One argument, from JSON, or the word itself when it is not JSON. */
  static Object value(String arg) {
    JsonNode node;
    try {
      node = MAPPER.readTree(arg);
    } catch (JsonProcessingException e) {
      return arg;
    }
    return node == null || node.isMissingNode() ? arg : java(node);
  }

  private static Object java(JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      if (node.canConvertToInt()) {
        return node.intValue();
      }
      if (node.canConvertToLong()) {
        return node.longValue();
      }
      throw new IllegalArgumentException("the number " + node + " does not fit in a long");
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(element -> list.add(java(element)));
      return list;
    }
    JsonNode type = node.get(TYPE);
    if (type != null) {
      return record(type, (ObjectNode) node);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    node.properties().forEach(field -> map.put(field.getKey(), java(field.getValue())));
    return map;
  }

  /** The record that an object names in {@code "@type"}, from its other fields. */
  private static Object record(JsonNode type, ObjectNode node) {
    if (!type.isTextual()) {
      throw new IllegalArgumentException("\"" + TYPE + "\" names a record class, as a string; was " + type);
    }
    Class<?> recordClass;
    try {
      recordClass = Class.forName(type.textValue(), false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no class " + type.textValue() + " on the CLI's class path: give the"
          + " app's classes with --classpath");
    }
    if (!recordClass.isRecord()) {
      throw new IllegalArgumentException(type.textValue() + " is not a record: only records are made from JSON");
    }
    ObjectNode fields = node.deepCopy();
    fields.remove(TYPE);
    try {
      return MAPPER.treeToValue(fields, recordClass);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot make a " + recordClass.getName() + " from " + fields + ": "
          + e.getOriginalMessage(), e);
    }
  }
}
