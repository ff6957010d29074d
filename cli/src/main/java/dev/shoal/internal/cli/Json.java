package dev.shoal.internal.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.impl.UnsupportedTypeSerializer;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Writes the JSON that {@code --json} prints, with Jackson: maps (in their iteration order), lists, strings,
 * numbers, booleans and null. Field names are part of the CLI's contract with scripts; change them only compatibly.
 */
final class Json {
  /**
   * Any other object is written as the string of its {@code toString()}, as the CLI always has, rather than as
   * the bean Jackson would make of its getters (or the error it gives for {@code java.time} types without their
   * module): a script's reading of a field must not change with the shape of the class behind it.
   */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .addModule(new SimpleModule("shoal-cli").setSerializerModifier(new BeanSerializerModifier() {
        private static final long serialVersionUID = 1L;

        @Override
        public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
            JsonSerializer<?> serializer) {
          return serializer instanceof BeanSerializerBase || serializer instanceof UnsupportedTypeSerializer
              ? ToStringSerializer.instance
              : serializer;
        }
      }))
      .build();

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // Only maps, lists and scalars reach here, and anything else is written as its string.
      throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /**
   * A result as JSON, best effort: strings, numbers and booleans as themselves, anything else as its
   * {@code toString()}, which is what a script can use without the app's classes.
   */
  static Object renderable(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || isNumber(value)) {
      return value;
    }
    if (value instanceof Character c) {
      return c.toString();
    }
    return value.toString();
  }

  private static boolean isNumber(Object value) {
    if (value instanceof Double d) {
      return Double.isFinite(d);
    }
    if (value instanceof Float f) {
      return Float.isFinite(f);
    }
    return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger || value instanceof BigDecimal;
  }
}
