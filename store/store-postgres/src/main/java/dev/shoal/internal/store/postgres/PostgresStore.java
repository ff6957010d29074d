package dev.shoal.internal.store.postgres;

import static dev.shoal.internal.store.postgres.Rows.APP_COLUMNS;
import static dev.shoal.internal.store.postgres.Rows.CALL_COLUMNS;
import static dev.shoal.internal.store.postgres.Rows.CONTAINER_COLUMNS;
import static dev.shoal.internal.store.postgres.Rows.MAP_COLUMNS;
import static dev.shoal.internal.store.postgres.Rows.SECRET_COLUMNS;
import static dev.shoal.internal.store.postgres.Rows.timestamp;

import dev.shoal.internal.store.AppState;
import dev.shoal.internal.store.CallAttempt;
import dev.shoal.internal.store.CallCompletion;
import dev.shoal.internal.store.FunctionHistory;
import dev.shoal.internal.store.MapCounts;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredApp;
import dev.shoal.internal.store.StoredCall;
import dev.shoal.internal.store.StoredContainer;
import dev.shoal.internal.store.StoredMap;
import dev.shoal.internal.store.StoredSecret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The state store kept in a PostgreSQL database, for a control plane whose apps and results outlive its process.
 *
 * <p>Opening the store brings the database's schema up to date (see {@link SchemaMigrator}). Every method runs in
 * a transaction of its own and commits before it returns, and each batch method sends its whole batch as arrays
 * in one statement, so a batch costs one round trip however many calls it holds.
 */
public final class PostgresStore implements StateStore {
  /** Enough for a control plane that writes in batches, and few enough to leave the server room. */
  public static final int DEFAULT_MAX_CONNECTIONS = 8;

  private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(30);

  /** How many calls one expiry transaction forgets at most, to keep its locks and its WAL small. */
  private static final int EXPIRY_CHUNK = 10_000;

  private final ConnectionPool pool;
  private final Transactions transactions;
  private final PostgresFunctionHistory functionHistory;

  /** Opens a store on the database {@code dataSource} connects to, with a pool of at most {@code maxConnections}. */
  public PostgresStore(DataSource dataSource, int maxConnections) {
    this.pool = new ConnectionPool(dataSource, maxConnections, BORROW_TIMEOUT);
    this.transactions = new Transactions(pool);
    this.functionHistory = new PostgresFunctionHistory(transactions);
    try {
      transactions.run(SchemaMigrator.ofStore()::migrate);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  public PostgresStore(DataSource dataSource) {
    this(dataSource, DEFAULT_MAX_CONNECTIONS);
  }

  /**
   * Opens a store on the database at a JDBC URL such as {@code jdbc:postgresql://localhost:5432/shoal}.
   *
   * @param user the user, or null for the one the URL names ({@code ?user=…}), else the system's user
   * @param password the password, or null for the one the URL names
   */
  public static PostgresStore connect(String jdbcUrl, String user, String password) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl);
    // Setting null would erase what the URL said: the data source keeps the URL's parameters as its properties.
    if (user != null) {
      dataSource.setUser(user);
    }
    if (password != null) {
      dataSource.setPassword(password);
    }
    return new PostgresStore(dataSource);
  }

  // Apps

  @Override
  public void putApp(StoredApp app) {
    List<Map.Entry<String, String>> functions = List.copyOf(app.functionIds().entrySet());
    transactions.runVoid(connection -> {
      try (PreparedStatement insert = connection.prepareStatement("""
          INSERT INTO shoal_app (app_id, environment, name, state, version, spec, function_names, function_ids,
                                 created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (app_id) DO UPDATE
             SET environment = excluded.environment, name = excluded.name, state = excluded.state,
                 version = excluded.version, spec = excluded.spec, function_names = excluded.function_names,
                 function_ids = excluded.function_ids, created_at = excluded.created_at""")) {
        insert.setString(1, app.appId());
        insert.setString(2, app.environment());
        insert.setString(3, app.name());
        insert.setString(4, app.state().name());
        insert.setInt(5, app.version());
        insert.setBytes(6, app.spec());
        insert.setArray(7, Rows.texts(connection, functions, Map.Entry::getKey));
        insert.setArray(8, Rows.texts(connection, functions, Map.Entry::getValue));
        insert.setObject(9, timestamp(app.createdAt()));
        insert.executeUpdate();
      }
    });
  }

  @Override
  public Optional<StoredApp> app(String appId) {
    return one("SELECT " + APP_COLUMNS + " FROM shoal_app WHERE app_id = ?", Rows::app, appId);
  }

  @Override
  public List<StoredApp> activeApps() {
    return all("SELECT " + APP_COLUMNS + " FROM shoal_app WHERE state <> 'STOPPED' ORDER BY created_at, app_id",
        Rows::app);
  }

  @Override
  public List<StoredApp> apps(String environment) {
    return all("SELECT " + APP_COLUMNS + " FROM shoal_app WHERE environment = ?"
        + " ORDER BY created_at DESC, app_id DESC", Rows::app, environment);
  }

  @Override
  public Optional<StoredApp> deployed(String environment, String name) {
    return one("SELECT " + APP_COLUMNS + " FROM shoal_app"
        + " WHERE environment = ? AND name = ? AND state = 'DEPLOYED'"
        + " ORDER BY version DESC, created_at DESC, app_id DESC LIMIT 1", Rows::app, environment, name);
  }

  @Override
  public void setAppState(String appId, AppState state, Instant at) {
    update("UPDATE shoal_app SET state = ?, state_changed_at = ? WHERE app_id = ?",
        state.name(), timestamp(at), appId);
  }

  // Calls

  @Override
  public Map<String, String> insertCalls(List<StoredCall> calls) {
    if (calls.isEmpty()) {
      return Map.of();
    }
    return transactions.run(connection -> insertCalls(connection, calls));
  }

  @Override
  public void completeCalls(List<CallCompletion> completions) {
    List<CallCompletion> batch = firstOutcomes(completions);
    if (!batch.isEmpty()) {
      transactions.runVoid(connection -> completeCalls(connection, batch));
    }
  }

  @Override
  public void recordAttempts(List<CallAttempt> attempts) {
    List<CallAttempt> batch = lastAttempts(attempts);
    if (!batch.isEmpty()) {
      transactions.runVoid(connection -> recordAttempts(connection, batch));
    }
  }

  /** One transaction, so one commit (and one wait for the disk) for the three kinds of write. */
  @Override
  public Map<String, String> write(
      List<StoredCall> inserts, List<CallAttempt> attempts, List<CallCompletion> completions) {
    List<CallAttempt> attemptBatch = lastAttempts(attempts);
    List<CallCompletion> completionBatch = firstOutcomes(completions);
    if (inserts.isEmpty() && attemptBatch.isEmpty() && completionBatch.isEmpty()) {
      return Map.of();
    }
    return transactions.run(connection -> {
      Map<String, String> duplicates = inserts.isEmpty() ? Map.of() : insertCalls(connection, inserts);
      if (!attemptBatch.isEmpty()) {
        recordAttempts(connection, attemptBatch);
      }
      if (!completionBatch.isEmpty()) {
        completeCalls(connection, completionBatch);
      }
      return duplicates;
    });
  }

  /**
   * Inserts the calls whose keys are free and returns the others, each with the call that holds its key. A key
   * held already is the rare case (a client repeating a spawn), so it costs a second statement only when it
   * happens. A call whose id is taken fails the whole insert (a unique violation, which {@link Transactions} reports
   * as an {@link IllegalArgumentException}), and the transaction is rolled back.
   *
   * <p>Only the key's index is named as the conflict to skip: PostgreSQL searches each index named there before it
   * inserts a row, and then again as it inserts it. With every unique index named, that pre-check was 17% of the
   * backend's CPU during durable spawns (perf, 2026-12-03), half of it in the primary key, where a conflict is the
   * error case that the insert itself finds. With this and migration V7, inserting spawns in batches of 100 took
   * 35 rather than 45 µs of PostgreSQL CPU per call (12 rounds of 20,000 each, alternated, load average 20 to 30).
   */
  private static Map<String, String> insertCalls(Connection connection, List<StoredCall> calls) throws SQLException {
    // An id twice in the batch would be refused by the primary key too; refused here, it names the call.
    Set<String> ids = new HashSet<>();
    for (StoredCall c : calls) {
      if (!ids.add(c.callId())) {
        throw new IllegalArgumentException("call " + c.callId() + " is twice in one batch");
      }
    }
    // The ordinality keeps the batch's order in seq, which orders calls created at the same instant.
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement insert = connection.prepareStatement("""
        INSERT INTO shoal_call (call_id, app_id, function_id, map_id, input_index, args, state, attempt,
                                created_at, args_codec, args_blob, idempotency_key)
        SELECT c.call_id, c.app_id, c.function_id, c.map_id, c.input_index, c.args, 'PENDING', c.attempt,
               c.created_at, c.args_codec, c.args_blob, c.idempotency_key
          FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bytea[], ?::integer[],
                      ?::timestamptz[], ?::integer[], ?::text[], ?::text[])
               WITH ORDINALITY
               AS c(call_id, app_id, function_id, map_id, input_index, args, attempt, created_at, args_codec,
                    args_blob, idempotency_key, position)
         ORDER BY c.position
        ON CONFLICT (app_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING call_id""")) {
      insert.setArray(1, Rows.texts(connection, calls, StoredCall::callId));
      insert.setArray(2, Rows.texts(connection, calls, StoredCall::appId));
      insert.setArray(3, Rows.texts(connection, calls, StoredCall::functionId));
      insert.setArray(4, Rows.texts(connection, calls, StoredCall::mapId));
      insert.setArray(5, Rows.longs(connection, calls, StoredCall::index));
      insert.setArray(6, Rows.bytes(connection, calls, StoredCall::args));
      insert.setArray(7, Rows.ints(connection, calls, StoredCall::attempt));
      insert.setArray(8, Rows.instants(connection, calls, StoredCall::createdAt));
      insert.setArray(9, Rows.ints(connection, calls, StoredCall::argsCodec));
      insert.setArray(10, Rows.texts(connection, calls, StoredCall::argsBlob));
      insert.setArray(11, Rows.texts(connection, calls, StoredCall::idempotencyKey));
      try (ResultSet rows = insert.executeQuery()) {
        while (rows.next()) {
          inserted.add(rows.getString(1));
        }
      }
    }
    if (inserted.size() == calls.size()) {
      return Map.of();
    }
    // Only calls with keys can have been left out: any other conflict failed the statement.
    List<StoredCall> left = calls.stream().filter(c -> !inserted.contains(c.callId())).toList();
    Map<String, String> holders = new HashMap<>();
    try (PreparedStatement find = connection.prepareStatement("""
        SELECT k.app_id, k.idempotency_key, c.call_id
          FROM unnest(?::text[], ?::text[]) AS k(app_id, idempotency_key)
          JOIN shoal_call AS c ON c.app_id = k.app_id AND c.idempotency_key = k.idempotency_key""")) {
      find.setArray(1, Rows.texts(connection, left, StoredCall::appId));
      find.setArray(2, Rows.texts(connection, left, StoredCall::idempotencyKey));
      try (ResultSet rows = find.executeQuery()) {
        while (rows.next()) {
          holders.put(rows.getString(1) + "\n" + rows.getString(2), rows.getString(3));
        }
      }
    }
    Map<String, String> duplicates = new LinkedHashMap<>();
    for (StoredCall c : left) {
      String holder = holders.get(c.appId() + "\n" + c.idempotencyKey());
      if (holder == null) {
        // Its key is free, so it was its id that was taken.
        throw new IllegalArgumentException("call " + c.callId() + " already exists");
      }
      duplicates.put(c.callId(), holder);
    }
    return duplicates;
  }

  /** Within a batch, as across batches, the first outcome of a call is the one kept; in lock order. */
  private static List<CallCompletion> firstOutcomes(List<CallCompletion> completions) {
    Map<String, CallCompletion> firstOfEach = new LinkedHashMap<>();
    for (CallCompletion completion : completions) {
      Objects.requireNonNull(completion.finishedAt(), () -> "completion of " + completion.callId() + " has no time");
      firstOfEach.putIfAbsent(completion.callId(), completion);
    }
    return inLockOrder(firstOfEach.values(), CallCompletion::callId);
  }

  private static void completeCalls(Connection connection, List<CallCompletion> batch) throws SQLException {
    try (PreparedStatement complete = connection.prepareStatement("""
        UPDATE shoal_call AS c
           SET state = o.state, result = o.result, finished_at = o.finished_at,
               result_blob = CASE WHEN o.result IS NULL THEN NULL ELSE o.result_blob END
          FROM unnest(?::text[], ?::text[], ?::bytea[], ?::timestamptz[], ?::text[])
               AS o(call_id, state, result, finished_at, result_blob)
         WHERE c.call_id = o.call_id
           AND c.state = 'PENDING'""")) {
      complete.setArray(1, Rows.texts(connection, batch, CallCompletion::callId));
      complete.setArray(2, Rows.texts(connection, batch, each -> each.state().name()));
      complete.setArray(3, Rows.bytes(connection, batch, CallCompletion::result));
      complete.setArray(4, Rows.instants(connection, batch, CallCompletion::finishedAt));
      complete.setArray(5, Rows.texts(connection, batch, CallCompletion::resultBlob));
      complete.executeUpdate();
    }
  }

  /** The last news of a call in a batch is the newest, so it is the one kept; in lock order. */
  private static List<CallAttempt> lastAttempts(List<CallAttempt> attempts) {
    Map<String, CallAttempt> lastOfEach = new LinkedHashMap<>();
    attempts.forEach(attempt -> lastOfEach.put(attempt.callId(), attempt));
    return inLockOrder(lastOfEach.values(), CallAttempt::callId);
  }

  private static void recordAttempts(Connection connection, List<CallAttempt> batch) throws SQLException {
    try (PreparedStatement record = connection.prepareStatement("""
        UPDATE shoal_call AS c
           SET attempt = a.attempt
          FROM unnest(?::text[], ?::integer[]) AS a(call_id, attempt)
         WHERE c.call_id = a.call_id
           AND c.state = 'PENDING'""")) {
      record.setArray(1, Rows.texts(connection, batch, CallAttempt::callId));
      record.setArray(2, Rows.ints(connection, batch, CallAttempt::attempt));
      record.executeUpdate();
    }
  }

  @Override
  public Optional<StoredCall> call(String callId) {
    return one("SELECT " + CALL_COLUMNS + " FROM shoal_call WHERE call_id = ?", Rows::call, callId);
  }

  @Override
  public Optional<StoredCall> callWithKey(String appId, String idempotencyKey) {
    return one("SELECT " + CALL_COLUMNS + " FROM shoal_call WHERE app_id = ? AND idempotency_key = ?", Rows::call,
        appId, idempotencyKey);
  }

  @Override
  public List<StoredCall> unfinishedCalls(String appId) {
    return all("SELECT " + CALL_COLUMNS + " FROM shoal_call WHERE app_id = ? AND state = 'PENDING'"
        + " ORDER BY created_at, seq", Rows::call, appId);
  }

  // Detached maps

  @Override
  public void insertMap(StoredMap map) {
    update("INSERT INTO shoal_map (" + MAP_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
        map.mapId(), map.appId(), map.functionId(), map.total(), timestamp(map.createdAt()));
  }

  @Override
  public Optional<StoredMap> map(String mapId) {
    return one("SELECT " + MAP_COLUMNS + " FROM shoal_map WHERE map_id = ?", Rows::map, mapId);
  }

  @Override
  public MapCounts mapCounts(String mapId) {
    return one("""
        SELECT count(*) FILTER (WHERE state = 'PENDING')                  AS pending,
               count(*) FILTER (WHERE state = 'SUCCEEDED')                AS succeeded,
               count(*) FILTER (WHERE state IN ('FAILED', 'TIMED_OUT'))   AS failed,
               count(*) FILTER (WHERE state = 'CANCELLED')                AS cancelled
          FROM shoal_call
         WHERE map_id = ?""",
        row -> new MapCounts(row.getLong("pending"), row.getLong("succeeded"), row.getLong("failed"),
            row.getLong("cancelled")),
        mapId).orElseThrow();
  }

  // Blobs

  @Override
  public Set<String> blobsInUse() {
    return Set.copyOf(all("""
        SELECT args_blob AS blob FROM shoal_call WHERE args_blob IS NOT NULL AND state = 'PENDING'
         UNION
        SELECT result_blob FROM shoal_call WHERE result_blob IS NOT NULL AND NOT expired""",
        row -> row.getString("blob")));
  }

  // Expiry

  @Override
  public int expireFinishedBefore(Instant cutoff) {
    // Chunks keep each transaction short when a week's worth of calls expires at once. The outer "NOT expired"
    // makes a row that another process expired meanwhile drop out rather than be counted twice.
    int expired = 0;
    while (true) {
      int chunk = update("""
          UPDATE shoal_call
             SET args = NULL, result = NULL, args_blob = NULL, result_blob = NULL, idempotency_key = NULL,
                 expired = true
           WHERE NOT expired
             AND call_id IN (SELECT call_id
                               FROM shoal_call
                              WHERE finished_at < ? AND NOT expired
                              LIMIT ?)""", timestamp(cutoff), EXPIRY_CHUNK);
      expired += chunk;
      if (chunk < EXPIRY_CHUNK) {
        return expired;
      }
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  // Helpers

  // Secrets

  @Override
  public boolean insertSecret(StoredSecret secret) {
    return update("INSERT INTO shoal_secret (" + SECRET_COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (name) DO NOTHING",
        secret.name(), String.join(",", secret.keys()), secret.sealed(), timestamp(secret.createdAt()),
        timestamp(secret.updatedAt())) == 1;
  }

  @Override
  public void replaceSecret(StoredSecret secret) {
    update("INSERT INTO shoal_secret (" + SECRET_COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE"
            + " SET keys = excluded.keys, sealed = excluded.sealed, updated_at = excluded.updated_at",
        secret.name(), String.join(",", secret.keys()), secret.sealed(), timestamp(secret.createdAt()),
        timestamp(secret.updatedAt()));
  }

  @Override
  public Optional<StoredSecret> secret(String name) {
    return one("SELECT " + SECRET_COLUMNS + " FROM shoal_secret WHERE name = ?", Rows::secret, name);
  }

  @Override
  public List<StoredSecret> secrets() {
    return all("SELECT " + SECRET_COLUMNS + " FROM shoal_secret ORDER BY name", Rows::secret);
  }

  @Override
  public boolean deleteSecret(String name) {
    return update("DELETE FROM shoal_secret WHERE name = ?", name) == 1;
  }

  // Containers

  @Override
  public void insertContainer(StoredContainer container) {
    update("INSERT INTO shoal_container (" + CONTAINER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (container_id) DO NOTHING",
        container.id(), container.appId(), container.functionId(), container.tokenSha256(), container.handle(),
        timestamp(container.createdAt()));
  }

  @Override
  public boolean deleteContainer(String containerId) {
    return update("DELETE FROM shoal_container WHERE container_id = ?", containerId) == 1;
  }

  @Override
  public List<StoredContainer> containers() {
    return all("SELECT " + CONTAINER_COLUMNS + " FROM shoal_container ORDER BY created_at, seq", Rows::container);
  }

  @Override
  public FunctionHistory functionHistory() {
    return functionHistory;
  }

  /** A row mapper that may throw what JDBC throws. */
  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... parameters) {
    List<T> rows = all(sql, mapper, parameters);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  private <T> List<T> all(String sql, RowMapper<T> mapper, Object... parameters) {
    return transactions.run(connection -> {
      try (PreparedStatement query = prepare(connection, sql, parameters);
          ResultSet rows = query.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rows.next()) {
          result.add(mapper.map(rows));
        }
        return result;
      }
    });
  }

  private int update(String sql, Object... parameters) {
    return transactions.run(connection -> {
      try (PreparedStatement statement = prepare(connection, sql, parameters)) {
        return statement.executeUpdate();
      }
    });
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }

  /**
   * The batch sorted by call id, so that concurrent batches touching the same calls tend to lock them in the same
   * order and deadlock less often; {@link Transactions} retries the deadlocks that remain.
   */
  private static <T> List<T> inLockOrder(Collection<T> batch, Function<T, String> id) {
    List<T> sorted = new ArrayList<>(batch);
    sorted.sort(Comparator.comparing(id));
    return sorted;
  }
}
