-- The ledger's tables on SQLite (migrations/postgresql/ holds the same for PostgreSQL): applied
-- once to app.db at the first start (or by `manaknight migrate examples/ledger`), and to a fresh
-- in-memory database for every `manaknight test` block. An applied migration never changes: a
-- change to the schema is a new file, V3__….sql.
-- Money is integer cents (as Stripe does): exact in SQL arithmetic on every database.
CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  owner         TEXT NOT NULL,
  balance_cents INTEGER NOT NULL CHECK (balance_cents >= 0),   -- the database refuses an overdraft
  frozen        BOOLEAN NOT NULL DEFAULT false,
  note          TEXT
);

CREATE TABLE transfers (
  id           INTEGER PRIMARY KEY,
  from_id      INTEGER NOT NULL REFERENCES accounts(id),
  to_id        INTEGER NOT NULL REFERENCES accounts(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  memo         TEXT,
  created_at   INTEGER NOT NULL
);

INSERT INTO accounts (owner, balance_cents, frozen, note) VALUES ('Ada Lovelace', 100000, false, NULL);
INSERT INTO accounts (owner, balance_cents, frozen, note) VALUES ('Grace Hopper', 25000, false, NULL);
INSERT INTO accounts (owner, balance_cents, frozen, note) VALUES ('Barbara Liskov', 5000, true, 'frozen: identity check pending');
