-- The users example: applied once by `manaknight serve` when app.db has no tables,
-- and to a fresh in-memory database for every `manaknight test` block.
CREATE TABLE users (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE
);

INSERT INTO users (name, email) VALUES ('Ada Lovelace', 'ada@example.com');
INSERT INTO users (name, email) VALUES ('Grace Hopper', 'grace@example.com');
INSERT INTO users (name, email) VALUES ('Barbara Liskov', 'barbara@example.com');
