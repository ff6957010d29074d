-- The ids and keys of calls are compared byte by byte: they are machine-made ASCII (random ids, UUID keys, blob
-- hashes) that only ever meet in equality tests and in the B-trees that find them, never in an order a person reads.
-- Under the database's default collation (C.UTF-8 in the embedded server) every comparison of a B-tree descent went
-- through the C library's strcoll; a profile of the PostgreSQL backends during durable spawns (perf, 2026-12-03) put
-- the collation's part of the index inserts and look-ups (varstr_cmp, strcoll) at about a tenth of their CPU. Under
-- "C" they are memcmp.
--
-- Changing only the collation keeps the column's type, so PostgreSQL rebuilds the indexes on these columns but does
-- not rewrite the table.

ALTER TABLE shoal_call
    ALTER COLUMN call_id         TYPE text COLLATE "C",
    ALTER COLUMN app_id          TYPE text COLLATE "C",
    ALTER COLUMN function_id     TYPE text COLLATE "C",
    ALTER COLUMN map_id          TYPE text COLLATE "C",
    ALTER COLUMN idempotency_key TYPE text COLLATE "C",
    ALTER COLUMN args_blob       TYPE text COLLATE "C",
    ALTER COLUMN result_blob     TYPE text COLLATE "C";
