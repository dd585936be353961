CREATE TABLE items (
  id     BIGSERIAL PRIMARY KEY,
  name   TEXT NOT NULL,
  price  NUMERIC(12, 2) NOT NULL,
  active BOOLEAN NOT NULL,
  note   TEXT
);
INSERT INTO items(name, price, active, note) VALUES ('pen', 1.50, true, NULL);
INSERT INTO items(name, price, active, note) VALUES ('ink', 0.10, true, 'blue; not black');
