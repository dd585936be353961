-- The payments example's tables on SQLite (migrations/postgresql/ holds the same for PostgreSQL):
-- applied once to app.db at the first start (or by `manaknight migrate examples/payments`), and to
-- a fresh in-memory database for every `manaknight test` block. An applied migration never
-- changes: a change to the schema is a new file, V2__….sql.
-- Money is integer cents; instants are RFC 3339 text in UTC, which sorts as time does.

-- A merchant's API key is never stored: only its SHA-256 (lowercase hex), which is what a
-- request's key is looked up by. A leaked table does not hand out keys.
CREATE TABLE merchants (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  api_key_sha256 TEXT NOT NULL UNIQUE CHECK (length(api_key_sha256) = 64)
);

CREATE TABLE payments (
  id           TEXT PRIMARY KEY NOT NULL,                            -- a UUID (version 7); SQLite lets a TEXT key be NULL
  merchant_id  INTEGER NOT NULL REFERENCES merchants(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  currency     TEXT NOT NULL CHECK (length(currency) = 3),
  description  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  created_at   TEXT NOT NULL
);

CREATE INDEX payments_by_merchant ON payments (merchant_id, created_at);

-- One row per Idempotency-Key a merchant used: the key is taken by the first request that
-- creates a payment with it (the primary key makes a second one impossible, even from two
-- requests at once), with a digest of what that request asked for and what it was answered.
CREATE TABLE idempotency_keys (
  merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
  idempotency_key TEXT NOT NULL,
  request_sha256  TEXT NOT NULL,
  payment_id      TEXT NOT NULL REFERENCES payments(id),
  answered_status TEXT NOT NULL,                                     -- the payment's status in the first answer
  created_at      TEXT NOT NULL,
  PRIMARY KEY (merchant_id, idempotency_key)
);

-- Every event for the merchant's notification URL, with the exact text that is signed and sent
-- and what the receiver last answered: what was told, and what to send again.
CREATE TABLE events (
  id              TEXT PRIMARY KEY NOT NULL,                         -- a UUID (version 7); the X-Event-Id header
  payment_id      TEXT NOT NULL REFERENCES payments(id),
  type            TEXT NOT NULL,                                     -- payment.created, payment.succeeded, payment.failed
  body            TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,                        -- sendings so far
  response_status INTEGER,                                           -- the last sending's answer; NULL: none came
  failure         TEXT                                               -- why none came
);

-- The provider's events applied so far, by the provider's id: a delivery the provider sends again
-- is acknowledged and not applied twice.
CREATE TABLE provider_events (
  id          TEXT PRIMARY KEY NOT NULL,
  payment_id  TEXT NOT NULL REFERENCES payments(id),
  type        TEXT NOT NULL,
  received_at TEXT NOT NULL
);

INSERT INTO merchants (name, api_key_sha256)                         -- sha256('sk_test_acme')
  VALUES ('Acme', '0c24ce40313b1ce2b6daefa9dea10a4d3290af661123f6d499a3567b80d5ed49');
INSERT INTO merchants (name, api_key_sha256)                         -- sha256('sk_test_globex')
  VALUES ('Globex', 'd588a5beb7a21e90ab68a64c0db32cee0d9a75aaec9a8e4ab3f5008f56f84e91');
