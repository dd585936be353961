CREATE TABLE todos (
  id    INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  done  BOOLEAN NOT NULL DEFAULT false,
  note  TEXT
);
