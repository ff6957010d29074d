-- The dashboard's history of each function, so that a restarted server still charts the past. A point is one
-- interval (a minute) of one function: throughput (NULL when unknown), latency percentiles, and the most inputs
-- queued and containers alive; the dashboard writes them in batches and forgets those older than its retention.

CREATE TABLE shoal_function_point (
  function_id text NOT NULL,
  at          timestamptz NOT NULL,
  throughput  double precision,
  p50_ms      bigint NOT NULL,
  p99_ms      bigint NOT NULL,
  queued      integer NOT NULL,
  containers  integer NOT NULL,
  PRIMARY KEY (function_id, at)
);

CREATE INDEX shoal_function_point_at ON shoal_function_point (at);

-- The newest failed inputs of each function, with the remote stack trace (bounded per function by the store).

CREATE TABLE shoal_function_failure (
  function_id     text NOT NULL,
  call_id         text NOT NULL,
  input_id        text NOT NULL,
  call_kind       text NOT NULL,
  call_created_at timestamptz NOT NULL,
  input_index     bigint NOT NULL,
  attempts        integer NOT NULL,
  state           text NOT NULL,
  error_type      text NOT NULL,
  error           text NOT NULL,
  finished_at     timestamptz NOT NULL,
  PRIMARY KEY (function_id, call_id, input_id)
);

CREATE INDEX shoal_function_failure_finished ON shoal_function_failure (function_id, finished_at DESC);
