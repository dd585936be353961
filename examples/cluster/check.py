#!/usr/bin/env python3
"""Load and consistency check for the cluster (README.md): transfers and reads through the balancer.

Opens ACCOUNTS accounts, then CLIENTS clients, each on one kept-alive connection, POST transfers
between random accounts (each with a memo of its own, which is also its Idempotency-Key) and GET
accounts, for SECONDS seconds. A transfer whose answer leaves open whether it was applied (its
connection failed, any 5xx, a 409 for its key in use) is sent again with the same key, with
back-off, until a 201 or a 4xx settles it (at most SETTLE seconds): the way a client resolves a
`500 commit-outcome-unknown` (README.md). Then it reads every transfer back and fails (exit 1) when:
  - a transfer was not settled within SETTLE seconds;
  - a transfer answered 201 is absent, or one present was not answered 201: lost or
    unacknowledged writes;
  - a memo was applied twice;
  - the balances do not add up to what was opened;
  - an answer was a 5xx (but 503 transaction-conflict, a lost race rolled back) or a connection
    failed, unless --allow-errors (an outage window).
Standard library only. Usage: check.py [--url http://127.0.0.1:8080] [--seconds 20] [--clients 16]
"""
import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

ACCOUNTS = 20
OPENING = 1_000_000
SETTLE = 60  # seconds a client sends an unsettled transfer again before it gives up


def settles(status, text):
    """Whether an answer to a transfer settles it: 201 (applied), or a 4xx but a 409 for its key in
    use (refused, and the key was not taken). Anything else may have been applied by an earlier attempt."""
    return status == 201 or 400 <= status < 500 and "was made at the same time" not in text


class Client:
    """One kept-alive connection; a new one after the server closed it (Connection: close)."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.conn = None

    def call(self, method, path, body=None, key=None):
        reused = self.conn is not None
        try:
            return self.once(method, path, body, key)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # A kept connection the balancer closed while idle: a GET is sent again, never a POST
            # here (a transfer is sent again by its client, with its Idempotency-Key).
            if method != "GET" or not reused:
                raise
            return self.once(method, path, body, key)

    def once(self, method, path, body, key=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        if key is not None:
            headers["Idempotency-Key"] = key
        try:
            self.conn.request(method, path, body=data, headers=headers)
            r = self.conn.getresponse()
            text = r.read().decode()
            if r.getheader("Connection", "").lower() == "close":
                self.close()
            return r.status, text
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--allow-errors", action="store_true", help="5xx and connection errors do not fail the run")
    a = p.parse_args()

    admin = Client(a.url)
    run = "%x" % random.getrandbits(40)
    ids = []
    for i in range(ACCOUNTS):
        status, text = admin.call("POST", "/accounts", {"owner": "%s-%d" % (run, i), "openingCents": OPENING})
        if status != 201:
            sys.exit("could not open an account: %d %s" % (status, text))
        ids.append(json.loads(text)["id"])

    lock = threading.Lock()
    answered, refused, unanswered, errors = {}, set(), set(), []
    counts = {}
    stop_at = time.monotonic() + a.seconds

    def work(n):
        c = Client(a.url)
        k = 0
        while time.monotonic() < stop_at:
            k += 1
            memo = "%s-c%d-%d" % (run, n, k)
            write = k % 3 != 0
            if not write:
                try:
                    status, text = c.call("GET", "/accounts/%d" % random.choice(ids))
                except (OSError, http.client.HTTPException) as e:
                    status, text = -1, str(e)
                note(memo, status, text)
                continue
            src, dst = random.sample(ids, 2)
            transfer = {"fromId": src, "toId": dst, "amountCents": random.randint(1, 500), "memo": memo}
            deadline, pause = time.monotonic() + SETTLE, 0.05
            while True:
                try:
                    status, text = c.call("POST", "/transfers", transfer, key=memo)
                except (OSError, http.client.HTTPException) as e:
                    status, text = -1, str(e)
                note(memo, status, text)
                if settles(status, text) or time.monotonic() > deadline:
                    break
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
            with lock:
                if status == 201:
                    answered[memo] = json.loads(text)["id"]
                elif settles(status, text):
                    refused.add(memo)
                else:
                    unanswered.add(memo)

    def note(memo, status, text):
        """Counts an answer; a connection error or a 5xx (but 503 transaction-conflict) is an error."""
        with lock:
            kind = "connection error" if status < 0 else status
            counts[kind] = counts.get(kind, 0) + 1
            if status < 0 or status >= 500 and "transaction-conflict" not in text:
                errors.append("%.1fs %s: %s %s" % (a.seconds - (stop_at - time.monotonic()), memo, status, text[:120]))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # Every transfer of this run, read back by id (ids are a sequence: gaps are rolled-back inserts).
    present = {}
    twice = []
    top = max(answered.values(), default=0)
    tid, misses = 1, 0
    while tid <= top or misses < 2000:
        status, text = admin.call("GET", "/transfers/%d" % tid)
        if status == 200:
            misses = 0
            memo = json.loads(text).get("memo") or ""
            if memo.startswith(run + "-"):
                if memo in present:
                    twice.append(memo)
                present[memo] = tid
        else:
            misses += 1
        tid += 1
    total = 0
    for i in ids:
        status, text = admin.call("GET", "/accounts/%d" % i)
        total += json.loads(text)["balanceCents"]

    lost = sorted(set(answered) - set(present))
    unacknowledged = sorted(set(present) - set(answered))
    print("requests by status: %s" % dict(sorted(counts.items(), key=lambda kv: str(kv[0]))))
    print("transfers answered 201: %d, present: %d, refused (4xx, none kept): %d, never settled: %d"
          % (len(answered), len(present), len(refused), len(unanswered)))
    problems = []
    if unanswered:
        problems.append("never settled within %d s: %s" % (SETTLE, sorted(unanswered)[:10]))
    if lost:
        problems.append("answered 201 but absent: %s" % lost[:10])
    if unacknowledged:
        problems.append("present but not answered 201: %s" % unacknowledged[:10])
    if twice:
        problems.append("applied twice: %s" % twice[:10])
    if total != ACCOUNTS * OPENING:
        problems.append("balances add up to %d, not %d" % (total, ACCOUNTS * OPENING))
    if errors and not a.allow_errors:
        problems.append("%d 5xx or connection errors, first: %s" % (len(errors), errors[:5]))
    for line in problems:
        print("FAIL: " + line)
    if not problems:
        print("ok: every write answered 201 is there once, nothing else is, the balances add up")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
