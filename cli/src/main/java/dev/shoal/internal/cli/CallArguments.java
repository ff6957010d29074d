package dev.shoal.internal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
 * function of two or three parameters. The app's own types (records) are not made from JSON: the CLI does not know
 * the function's parameter types.
 */
final class CallArguments {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

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
    Map<String, Object> map = new LinkedHashMap<>();
    node.properties().forEach(field -> map.put(field.getKey(), java(field.getValue())));
    return map;
  }
}
