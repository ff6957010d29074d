package dev.shoal.internal.store.postgres;

import dev.shoal.internal.store.AppState;
import dev.shoal.internal.store.CallState;
import dev.shoal.internal.store.StoredApp;
import dev.shoal.internal.store.StoredCall;
import dev.shoal.internal.store.StoredContainer;
import dev.shoal.internal.store.StoredMap;
import dev.shoal.internal.store.StoredSecret;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The translation between the store's records and SQL: rows read back as records, and values bound as
 * parameters.
 *
 * <p>Instants are cut to whole microseconds on the way in, since that is all a {@code timestamptz} keeps; cutting
 * them in Java rather than letting the server round them means a value reads back the same however it was sent.
 */
final class Rows {
  static final String APP_COLUMNS =
      "app_id, environment, name, state, version, spec, function_names, function_ids, created_at";

  static final String CALL_COLUMNS = "call_id, app_id, function_id, map_id, input_index, args, state, attempt, "
      + "result, expired, created_at, finished_at, args_codec, args_blob, result_blob, idempotency_key";

  static final String MAP_COLUMNS = "map_id, app_id, function_id, total, created_at";

  static final String SECRET_COLUMNS = "name, keys, sealed, created_at, updated_at";

  static final String CONTAINER_COLUMNS = "container_id, app_id, function_id, token_sha256, handle, created_at";

  private Rows() {}

  static StoredApp app(ResultSet row) throws SQLException {
    String[] names = strings(row.getArray("function_names"));
    String[] ids = strings(row.getArray("function_ids"));
    Map<String, String> functionIds = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      functionIds.put(names[i], ids[i]);
    }
    return new StoredApp(row.getString("app_id"), row.getString("environment"), row.getString("name"),
        AppState.valueOf(row.getString("state")), row.getInt("version"), row.getBytes("spec"), functionIds,
        instant(row, "created_at"));
  }

  static StoredCall call(ResultSet row) throws SQLException {
    return new StoredCall(row.getString("call_id"), row.getString("app_id"), row.getString("function_id"),
        row.getString("map_id"), row.getLong("input_index"), row.getBytes("args"),
        CallState.valueOf(row.getString("state")), row.getInt("attempt"), row.getBytes("result"),
        row.getBoolean("expired"), instant(row, "created_at"), instant(row, "finished_at"), row.getInt("args_codec"),
        row.getString("args_blob"), row.getString("result_blob"), row.getString("idempotency_key"));
  }

  static StoredMap map(ResultSet row) throws SQLException {
    return new StoredMap(row.getString("map_id"), row.getString("app_id"), row.getString("function_id"),
        row.getLong("total"), instant(row, "created_at"));
  }

  static StoredSecret secret(ResultSet row) throws SQLException {
    String keys = row.getString("keys");
    return new StoredSecret(row.getString("name"), keys.isEmpty() ? List.of() : List.of(keys.split(",")),
        row.getBytes("sealed"), instant(row, "created_at"), instant(row, "updated_at"));
  }

  static StoredContainer container(ResultSet row) throws SQLException {
    return new StoredContainer(row.getString("container_id"), row.getString("app_id"), row.getString("function_id"),
        row.getString("token_sha256"), row.getString("handle"), instant(row, "created_at"));
  }

  /** An instant as a parameter for a {@code timestamptz} column. */
  static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  /** One field of every element, as a {@code text[]} parameter. */
  static <T> Array texts(Connection connection, List<T> elements, Function<T, String> field) throws SQLException {
    return connection.createArrayOf("text", elements.stream().map(field).toArray(String[]::new));
  }

  /** One field of every element, as a {@code bytea[]} parameter; null elements stay null. */
  static <T> Array bytes(Connection connection, List<T> elements, Function<T, byte[]> field) throws SQLException {
    return connection.createArrayOf("bytea", elements.stream().map(field).toArray(byte[][]::new));
  }

  /** One field of every element, as an {@code integer[]} parameter. */
  static <T> Array ints(Connection connection, List<T> elements, Function<T, Integer> field) throws SQLException {
    return connection.createArrayOf("int4", elements.stream().map(field).toArray(Integer[]::new));
  }

  /** One field of every element, as a {@code bigint[]} parameter. */
  static <T> Array longs(Connection connection, List<T> elements, Function<T, Long> field) throws SQLException {
    return connection.createArrayOf("int8", elements.stream().map(field).toArray(Long[]::new));
  }

  /**
   * One instant of every element, as a {@code text[]} parameter for the statement to cast to
   * {@code timestamptz[]}: ISO-8601 text with its zone is read the same whatever the session's time zone.
   */
  static <T> Array instants(Connection connection, List<T> elements, Function<T, Instant> field)
      throws SQLException {
    return texts(connection, elements, element -> {
      Instant instant = field.apply(element);
      return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).toString();
    });
  }

  private static Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static String[] strings(Array array) throws SQLException {
    try {
      return (String[]) array.getArray();
    } finally {
      array.free();
    }
  }
}
