-- Named secrets. The keys are kept in the clear (comma-separated environment variable names, which cannot hold a
-- comma) so that they can be listed; the values are sealed by the control plane, whose key never reaches here.

CREATE TABLE shoal_secret (
  name       text PRIMARY KEY,
  keys       text NOT NULL,
  sealed     bytea NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
