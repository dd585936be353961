-- The peers' users table (as the peers' make-db.sh builds it), with a few of its rows for `manaknight test`.
-- bench/http.sh serves a copy of the full 10,000-row database instead.
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
INSERT INTO users (id, name, email) VALUES (1, 'user1', 'user1@example.com');
INSERT INTO users (id, name, email) VALUES (2, 'user2', 'user2@example.com');
INSERT INTO users (id, name, email) VALUES (3, 'user3', 'user3@example.com');
