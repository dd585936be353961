'use strict';
// The Node.js peer: the plain http module in one process (no cluster) and better-sqlite3 with one
// prepared statement reused by every request. The same routes and answers as ../php/index.php.
// Environment: USERS_DB (the database, required), HOST (127.0.0.1), PORT (18090).
const http = require('node:http');
const Database = require('better-sqlite3');

const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 18090);
const DB_PATH = process.env.USERS_DB;
if (!DB_PATH) {
  console.error('node peer: set USERS_DB to the users database (bench/peers/make-db.sh makes one)');
  process.exit(64);
}

const db = new Database(DB_PATH, { readonly: true, fileMustExist: true });
const byId = db.prepare('SELECT id, name, email FROM users WHERE id = ?');
const ID = /^[0-9]{1,18}$/;

function respond(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  if (req.method !== 'GET') return respond(res, 405, { error: 'method not allowed' });
  if (path === '/hello') return respond(res, 200, { message: 'hello' });
  if (path.startsWith('/users/')) {
    const id = path.slice(7);
    if (!ID.test(id)) return respond(res, 400, { error: 'id must be an integer' });
    // Past 15 digits a Number loses precision: SQLite gets a BigInt instead.
    const row = byId.get(id.length > 15 ? BigInt(id) : Number(id));
    if (row === undefined) return respond(res, 404, { error: 'not found' });
    return respond(res, 200, row);
  }
  return respond(res, 404, { error: 'not found' });
});

server.listen(PORT, HOST, () => {
  console.log(`node peer listening on http://${HOST}:${PORT} pid=${process.pid} db=${DB_PATH}`);
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close();
    db.close();
    process.exit(0);
  });
}
