package dev.shoal.internal.store.postgres;

import static dev.shoal.internal.store.postgres.Rows.timestamp;

import dev.shoal.internal.store.FunctionHistory;
import dev.shoal.internal.store.HistoryPoint;
import dev.shoal.internal.store.StoredFailure;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's history of each function in PostgreSQL (migration V6): each batch is one statement over arrays,
 * as the store's other batches are.
 */
final class PostgresFunctionHistory implements FunctionHistory {
  private static final String FAILURE_COLUMNS = "function_id, call_id, input_id, call_kind, call_created_at,"
      + " input_index, attempts, state, error_type, error, finished_at";

  private final Transactions transactions;

  PostgresFunctionHistory(Transactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void addPoints(List<HistoryPoint> added) {
    // One row per function and instant, the last one given winning: an upsert may not touch a row twice.
    Map<List<Object>, HistoryPoint> unique = new LinkedHashMap<>();
    added.forEach(p -> unique.put(List.of(p.functionId(), p.at()), p));
    List<HistoryPoint> points = List.copyOf(unique.values());
    if (points.isEmpty()) {
      return;
    }
    transactions.runVoid(connection -> {
      try (PreparedStatement insert = connection.prepareStatement("""
          INSERT INTO shoal_function_point (function_id, at, throughput, p50_ms, p99_ms, queued, containers)
          SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::double precision[], ?::bigint[], ?::bigint[],
                               ?::integer[], ?::integer[])
          ON CONFLICT (function_id, at) DO UPDATE
             SET throughput = excluded.throughput, p50_ms = excluded.p50_ms, p99_ms = excluded.p99_ms,
                 queued = excluded.queued, containers = excluded.containers""")) {
        insert.setArray(1, Rows.texts(connection, points, HistoryPoint::functionId));
        insert.setArray(2, Rows.instants(connection, points, HistoryPoint::at));
        insert.setArray(3, connection.createArrayOf("float8", points.stream()
            .map(p -> Double.isNaN(p.throughput()) ? null : p.throughput()).toArray(Double[]::new)));
        insert.setArray(4, Rows.longs(connection, points, HistoryPoint::p50Ms));
        insert.setArray(5, Rows.longs(connection, points, HistoryPoint::p99Ms));
        insert.setArray(6, Rows.ints(connection, points, HistoryPoint::queued));
        insert.setArray(7, Rows.ints(connection, points, HistoryPoint::containers));
        insert.executeUpdate();
      }
    });
  }

  @Override
  public List<HistoryPoint> points(String functionId, Instant since) {
    return transactions.run(connection -> {
      try (PreparedStatement query = connection.prepareStatement("""
          SELECT function_id, at, throughput, p50_ms, p99_ms, queued, containers FROM shoal_function_point
           WHERE function_id = ? AND at >= ? ORDER BY at""")) {
        query.setString(1, functionId);
        query.setObject(2, timestamp(since));
        List<HistoryPoint> points = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            double throughput = rows.getDouble("throughput");
            boolean unknown = rows.wasNull(); // Asked before another column is read, which would reset it.
            points.add(new HistoryPoint(rows.getString("function_id"), instant(rows, "at"),
                unknown ? Double.NaN : throughput, rows.getLong("p50_ms"), rows.getLong("p99_ms"),
                rows.getInt("queued"), rows.getInt("containers")));
          }
        }
        return points;
      }
    });
  }

  @Override
  public void addFailures(List<StoredFailure> failures) {
    if (failures.isEmpty()) {
      return;
    }
    transactions.runVoid(connection -> {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO shoal_function_failure ("
          + FAILURE_COLUMNS + ") SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],"
          + " ?::bigint[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])"
          + " ON CONFLICT (function_id, call_id, input_id) DO NOTHING");
          PreparedStatement trim = connection.prepareStatement("""
              DELETE FROM shoal_function_failure f
               USING (SELECT function_id, call_id, input_id,
                             row_number() OVER (PARTITION BY function_id
                                                ORDER BY finished_at DESC, call_id COLLATE "C",
                                                         input_id COLLATE "C") AS n
                        FROM shoal_function_failure WHERE function_id = ANY (?::text[])) ranked
               WHERE f.function_id = ranked.function_id AND f.call_id = ranked.call_id
                 AND f.input_id = ranked.input_id AND ranked.n > ?""")) {
        insert.setArray(1, Rows.texts(connection, failures, StoredFailure::functionId));
        insert.setArray(2, Rows.texts(connection, failures, StoredFailure::callId));
        insert.setArray(3, Rows.texts(connection, failures, StoredFailure::inputId));
        insert.setArray(4, Rows.texts(connection, failures, StoredFailure::callKind));
        insert.setArray(5, Rows.instants(connection, failures, StoredFailure::callCreatedAt));
        insert.setArray(6, Rows.longs(connection, failures, StoredFailure::inputIndex));
        insert.setArray(7, Rows.ints(connection, failures, StoredFailure::attempts));
        insert.setArray(8, Rows.texts(connection, failures, StoredFailure::state));
        insert.setArray(9, Rows.texts(connection, failures, StoredFailure::errorType));
        insert.setArray(10, Rows.texts(connection, failures, StoredFailure::error));
        insert.setArray(11, Rows.instants(connection, failures, StoredFailure::finishedAt));
        insert.executeUpdate();
        trim.setArray(1, Rows.texts(connection, failures.stream().map(StoredFailure::functionId).distinct()
            .toList(), id -> id));
        trim.setInt(2, FAILURES_KEPT);
        trim.executeUpdate();
      }
    });
  }

  @Override
  public List<StoredFailure> failures(String functionId, int max) {
    return transactions.run(connection -> {
      try (PreparedStatement query = connection.prepareStatement("SELECT " + FAILURE_COLUMNS
          + " FROM shoal_function_failure WHERE function_id = ?"
          + " ORDER BY finished_at DESC, call_id COLLATE \"C\", input_id COLLATE \"C\" LIMIT ?")) {
        query.setString(1, functionId);
        query.setInt(2, max);
        List<StoredFailure> failures = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            failures.add(new StoredFailure(rows.getString("function_id"), rows.getString("call_id"),
                rows.getString("call_kind"), instant(rows, "call_created_at"), rows.getString("input_id"),
                rows.getLong("input_index"), rows.getInt("attempts"), rows.getString("state"),
                rows.getString("error_type"), rows.getString("error"), instant(rows, "finished_at")));
          }
        }
        return failures;
      }
    });
  }

  @Override
  public int forgetBefore(Instant pointsCutoff, Instant failuresCutoff) {
    return transactions.run(connection -> {
      try (PreparedStatement points = connection.prepareStatement(
              "DELETE FROM shoal_function_point WHERE at < ?");
          PreparedStatement failures = connection.prepareStatement(
              "DELETE FROM shoal_function_failure WHERE finished_at < ?")) {
        points.setObject(1, timestamp(pointsCutoff));
        failures.setObject(1, timestamp(failuresCutoff));
        return points.executeUpdate() + failures.executeUpdate();
      }
    });
  }

  private static Instant instant(ResultSet row, String column) throws SQLException {
    return row.getObject(column, OffsetDateTime.class).toInstant();
  }
}
