CREATE TABLE items (
  id     BIGSERIAL PRIMARY KEY,
  name   TEXT NOT NULL,
  price  NUMERIC(12, 2) NOT NULL,
  active BOOLEAN NOT NULL,
  note   TEXT
);
INSERT INTO items(name, price, active, note) VALUES ('pen', 1.50, true, NULL);
INSERT INTO items(name, price, active, note) VALUES ('ink', 0.10, true, 'blue; not black');
CREATE TABLE owners (
  id    BIGSERIAL PRIMARY KEY,
  email TEXT NOT NULL CONSTRAINT owners_email_key UNIQUE,
  CONSTRAINT owners_email_check CHECK (email LIKE '%@%')
);
CREATE TABLE pets (
  id       BIGSERIAL PRIMARY KEY,
  owner_id BIGINT NOT NULL CONSTRAINT pets_owner_fkey REFERENCES owners(id),
  name     TEXT NOT NULL
);
