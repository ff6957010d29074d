-- The containers alive now, so that a restarted control plane can adopt those that outlived it (a Kubernetes pod
-- keeps running through a restart). A row is written when a container starts and deleted when it ends. Only the
-- SHA-256 hash of a container's token is kept: reading this table does not let anyone speak as the container.

CREATE TABLE shoal_container (
  container_id text PRIMARY KEY,
  app_id       text NOT NULL,
  function_id  text NOT NULL,
  token_sha256 text NOT NULL,
  handle       text NOT NULL,
  created_at   timestamptz NOT NULL,
  seq          bigint GENERATED ALWAYS AS IDENTITY
);
