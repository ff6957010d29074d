-- The first schema of Shoal's state store: apps, their spawned calls, and detached maps.
--
-- States are the names of the Java enums AppState and CallState, kept as text so that a person reading the
-- tables with psql sees what the code sees. Instants are timestamptz, kept to the microsecond.
-- There are no foreign keys between the tables: the control plane writes through from memory in whatever order
-- its batches flush, and the in-memory store does not enforce them either.

CREATE TABLE shoal_app (
    app_id           text        PRIMARY KEY,
    environment      text        NOT NULL,
    name             text        NOT NULL,
    state            text        NOT NULL
        CHECK (state IN ('RUNNING', 'DETACHED', 'DEPLOYED', 'STOPPED')),
    version          integer     NOT NULL,
    spec             bytea,
    -- Function name to function id, as two arrays of the same length: names[i] maps to ids[i].
    function_names   text[]      NOT NULL,
    function_ids     text[]      NOT NULL,
    created_at       timestamptz NOT NULL,
    -- When setAppState last changed the state, null before that. The store's interface does not return it; it
    -- is kept for people reading the table, and for a later clean-up of long-stopped apps.
    state_changed_at timestamptz,
    CHECK (cardinality(function_names) = cardinality(function_ids))
);

-- apps(environment), newest first.
CREATE INDEX shoal_app_by_environment ON shoal_app (environment, created_at DESC, app_id DESC);

-- deployed(environment, name): the highest version among the deployed ones.
CREATE INDEX shoal_app_deployed ON shoal_app (environment, name, version DESC) WHERE state = 'DEPLOYED';

-- activeApps(), oldest first; stopped apps pile up over time and are left out of the index.
CREATE INDEX shoal_app_active ON shoal_app (created_at, app_id) WHERE state <> 'STOPPED';

CREATE TABLE shoal_call (
    call_id     text        PRIMARY KEY,
    -- The order of insertion, which breaks ties between calls created at the same instant (a map's inputs).
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    app_id      text        NOT NULL,
    function_id text        NOT NULL,
    map_id      text,
    input_index bigint      NOT NULL,
    args        bytea,
    state       text        NOT NULL
        CHECK (state IN ('PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')),
    attempt     integer     NOT NULL,
    result      bytea,
    expired     boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    finished_at timestamptz,
    -- A call has a finish time exactly when it is final, and only a final call can have expired.
    CHECK ((state = 'PENDING') = (finished_at IS NULL)),
    CHECK (NOT expired OR state <> 'PENDING')
);

-- unfinishedCalls(app): only pending calls are indexed, so the index stays as small as the work in flight
-- however many finished calls the table keeps for their retention period.
CREATE INDEX shoal_call_unfinished ON shoal_call (app_id, created_at, seq) WHERE state = 'PENDING';

-- mapCounts(map): finds a map's inputs without reading anyone else's calls, and can count them from the index
-- alone once vacuum has marked the table's pages all-visible.
CREATE INDEX shoal_call_by_map ON shoal_call (map_id, state) WHERE map_id IS NOT NULL;

-- expireFinishedBefore(cutoff): finished calls whose payloads are still kept.
CREATE INDEX shoal_call_expiry ON shoal_call (finished_at) WHERE NOT expired AND finished_at IS NOT NULL;

CREATE TABLE shoal_map (
    map_id      text        PRIMARY KEY,
    app_id      text        NOT NULL,
    function_id text        NOT NULL,
    total       bigint      NOT NULL,
    created_at  timestamptz NOT NULL
);
