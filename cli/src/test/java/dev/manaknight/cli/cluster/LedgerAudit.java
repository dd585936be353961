package dev.manaknight.cli.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the database holds after the load, held against what the clients were answered: every
 * write was settled by its client (sent again with its Idempotency-Key until an answer settled
 * it); every transfer answered 201 is stored once, under the id it was answered with, and every
 * answer of it named that id; nothing is stored that was not answered 201; no transfer the server
 * said it kept nothing of (every attempt before its replay) was applied; the accounts' balances add
 * up to what was opened. Read straight from PostgreSQL, not through the app.
 */
record LedgerAudit(List<String> problems, int present) {
    /** How many of each kind of problem the report quotes. */
    static final int QUOTED = 10;

    static LedgerAudit of(Connection db, LedgerLoad load, List<LedgerLoad.Exchange> exchanges) throws SQLException {
        var stored = new HashMap<String, List<Long>>();
        try (var q = db.prepareStatement("SELECT memo, id FROM transfers WHERE memo LIKE ? ORDER BY id")) {
            q.setString(1, load.memoPrefix() + "%");
            try (var rs = q.executeQuery()) {
                while (rs.next()) stored.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
            }
        }
        long total;
        try (var q = db.prepareStatement("SELECT coalesce(sum(balance_cents), 0) FROM accounts WHERE id = ANY (?)")) {
            q.setArray(1, db.createArrayOf("bigint", load.accounts().toArray()));
            try (var rs = q.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        var answered = new HashMap<String, Long>();
        var attempts = new HashMap<String, List<LedgerLoad.Exchange>>();
        var twoIds = new TreeSet<String>();
        for (LedgerLoad.Exchange e : exchanges) {
            if (!e.write()) continue;
            attempts.computeIfAbsent(e.memo(), k -> new ArrayList<>()).add(e);
            if (e.status() != 201) continue;
            Long before = answered.put(e.memo(), e.transferId());
            if (before != null && before != e.transferId()) twoIds.add(e.memo() + " answered " + before + " and " + e.transferId());
        }
        var unsettled = new TreeSet<String>();
        var untrue = new TreeSet<String>();
        for (List<LedgerLoad.Exchange> tries : attempts.values()) {
            LedgerLoad.Exchange last = tries.getLast();
            if (!last.settles()) unsettled.add(last.memo() + " after " + tries.size() + " attempt(s), last: (" + last + ")");
            // A replay says an earlier attempt applied it: one of them must not have said it kept nothing.
            if (last.replayed() && tries.subList(0, tries.size() - 1).stream().allMatch(LedgerLoad.Exchange::nothingKept))
                untrue.add(last.memo() + " " + tries);
        }

        var problems = new ArrayList<String>();
        quote(problems, "never settled", unsettled);
        quote(problems, "answered with two ids", twoIds);
        quote(problems, "replayed, but every earlier answer said nothing was kept", untrue);
        var lost = new TreeSet<String>();
        var wrongId = new TreeSet<String>();
        for (Map.Entry<String, Long> a : answered.entrySet()) {
            List<Long> ids = stored.get(a.getKey());
            if (ids == null) lost.add(a.getKey());
            else if (!ids.contains(a.getValue())) wrongId.add(a.getKey() + " answered " + a.getValue() + ", stored " + ids);
        }
        var unanswered = new TreeSet<String>();
        var twice = new TreeSet<String>();
        for (Map.Entry<String, List<Long>> s : stored.entrySet()) {
            if (!answered.containsKey(s.getKey())) unanswered.add(s.getKey() + " " + howAnswered(s.getKey(), exchanges));
            if (s.getValue().size() > 1) twice.add(s.getKey() + " " + s.getValue());
        }
        quote(problems, "answered 201 but absent", lost);
        quote(problems, "present but not answered 201", unanswered);
        quote(problems, "applied more than once", twice);
        quote(problems, "stored under another id than answered", wrongId);
        long expected = LedgerLoad.OPENING * load.accounts().size();
        if (total != expected) problems.add("the balances add up to " + total + ", not " + expected);
        return new LedgerAudit(List.copyOf(problems), stored.size());
    }

    private static String howAnswered(String memo, List<LedgerLoad.Exchange> exchanges) {
        var tries = exchanges.stream().filter(e -> memo.equals(e.memo())).map(e -> "(" + e + ")").toList();
        return tries.isEmpty() ? "(never sent)" : String.join(" ", tries);
    }

    private static void quote(List<String> problems, String what, TreeSet<String> memos) {
        if (!memos.isEmpty())
            problems.add(memos.size() + " " + what + ": " + memos.stream().limit(QUOTED).toList());
    }
}
