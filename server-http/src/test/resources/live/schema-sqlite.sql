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
