-- Prices are TEXT so that SQLite keeps Decimal digits exactly (its NUMERIC would turn 1.50 into 1.5).
CREATE TABLE items (
  id     INTEGER PRIMARY KEY,
  name   TEXT NOT NULL,
  price  TEXT NOT NULL,
  active BOOLEAN NOT NULL,
  note   TEXT
);
INSERT INTO items(name, price, active, note) VALUES ('pen', '1.50', true, NULL);
INSERT INTO items(name, price, active, note) VALUES ('ink', '0.10', true, 'blue; not black');
-- Issue 14: a constraint of each kind, named as PostgreSQL names them (SQLite reports a UNIQUE by its columns).
CREATE TABLE owners (
  id    INTEGER PRIMARY KEY,
  email TEXT NOT NULL CONSTRAINT owners_email_key UNIQUE,
  CONSTRAINT owners_email_check CHECK (email LIKE '%@%')
);
CREATE TABLE pets (
  id       INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL CONSTRAINT pets_owner_fkey REFERENCES owners(id),
  name     TEXT NOT NULL
);
