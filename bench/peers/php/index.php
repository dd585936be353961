<?php
declare(strict_types=1);

// The PHP-FPM peer: one front controller that routes on REQUEST_URI, as bench/app does in Manaknight.
//   GET /hello       -> 200 {"message":"hello"}
//   GET /users/{id}  -> 200 the row | 404 no such row | 400 id is not 1-18 digits
//   anything else    -> 404; a method other than GET -> 405
// The database is the pool's env[USERS_DB]. Each request opens its own read-only SQLite3 handle,
// PHP-FPM's usual share-nothing model.

function respond(int $status, array $payload): void
{
    $body = json_encode($payload);
    http_response_code($status);
    header('Content-Type: application/json');
    header('Content-Length: ' . strlen($body));
    echo $body;
}

$uri = $_SERVER['REQUEST_URI'] ?? '/';
$query = strpos($uri, '?');
$path = $query === false ? $uri : substr($uri, 0, $query);

if (($_SERVER['REQUEST_METHOD'] ?? 'GET') !== 'GET') {
    respond(405, ['error' => 'method not allowed']);
} elseif ($path === '/hello') {
    respond(200, ['message' => 'hello']);
} elseif (strncmp($path, '/users/', 7) === 0) {
    $id = substr($path, 7);
    if (preg_match('/\A[0-9]{1,18}\z/', $id) !== 1) {
        respond(400, ['error' => 'id must be an integer']);
        return;
    }
    $file = getenv('USERS_DB');
    if ($file === false || $file === '') {
        respond(500, ['error' => 'USERS_DB is not set']);
        return;
    }
    $db = new SQLite3($file, SQLITE3_OPEN_READONLY);
    $stmt = $db->prepare('SELECT id, name, email FROM users WHERE id = :id');
    $stmt->bindValue(':id', (int) $id, SQLITE3_INTEGER);
    $row = $stmt->execute()->fetchArray(SQLITE3_ASSOC);
    $db->close();
    if ($row === false) {
        respond(404, ['error' => 'not found']);
    } else {
        respond(200, $row);
    }
} else {
    respond(404, ['error' => 'not found']);
}
