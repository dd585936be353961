-- One row per Idempotency-Key a transfer was made with (the same as
-- migrations/sqlite/V3__transfer_idempotency_keys.sql): the key is taken by the request that
-- records the transfer, in its transaction, so the key and the transfer commit together or not at
-- all. The primary key admits one row per key, even from two requests at once: a retry that races
-- the request it repeats cannot apply the transfer twice. With the key is a digest of what the
-- first request asked for, so that the key sent with another transfer is refused.
CREATE TABLE transfer_keys (
  idempotency_key TEXT PRIMARY KEY,
  request_sha256  TEXT NOT NULL CHECK (length(request_sha256) = 64),
  transfer_id     BIGINT NOT NULL UNIQUE REFERENCES transfers(id),
  created_at      BIGINT NOT NULL
);
