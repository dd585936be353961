package dev.manaknight.runtime.journal;

import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.effects.EffectCall;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A journal record as `manaknight journal show` prints it: a few indented lines a person reads. */
public final class RecordText {
    /** Bodies longer than this many characters are cut, the rest counted. */
    static final int BODY_CHARS = 300;

    private RecordText() {}

    public static String of(JournalRecord r) {
        var sb = new StringBuilder();
        sb.append(r.id()).append("  ").append(r.time()).append("  ").append(r.target());
        if (r.route() != null) sb.append("  (").append(r.route()).append(')');
        sb.append('\n');
        if (r.dropped() > 0) sb.append("  ").append(r.dropped()).append(" record(s) dropped before this one\n");
        headers(sb, "  request headers: ", r.request().headers());
        body(sb, "  request body: ", r.request().body());
        for (int i = 0; i < r.attempts().size(); i++) {
            Attempt a = r.attempts().get(i);
            if (r.attempts().size() > 1) sb.append("  run ").append(i + 1).append(a.conflicted() ? " (conflicted)" : "")
                    .append(":\n");
            for (EffectCall c : a.calls()) {
                sb.append("    ").append(call(c.op(), c.args()));
                if (c.failure() != null) sb.append(" failed: ").append(c.failure());
                else sb.append(" -> ").append(Values.show(c.result()));
                sb.append('\n');
            }
            if (a.commit() != null) sb.append("    commit failed: ").append(a.commit()).append('\n');
        }
        sb.append("  response ").append(r.response().status()).append('\n');
        headers(sb, "  response headers: ", r.response().headers());
        body(sb, "  response body: ", r.response().body());
        if (r.failure() != null) sb.append("  failure: ").append(r.failure()).append('\n');
        if (r.stop() != null) sb.append("  stopped: ").append(r.stop().toLowerCase()).append('\n');
        if (r.commit() != null) sb.append("  ").append(switch (r.commit()) {
            case PENDING -> "commit: held for this record (its outcome not read)";
            case COMMITTED -> "commit: made, this record durable with it (audit mode)";
            case FAILED -> "commit: failed after this record was durable; the request's own record follows";
            case UNKNOWN -> "commit: outcome not recorded (the server stopped between this record and it)";
        }).append('\n');
        sb.append("  fuel ").append(r.fuel()).append(", memory ").append(r.memory()).append(" bytes, ").append(r.micros())
                .append(" µs\n");
        return sb.toString();
    }

    /** `db.findUser(1, "a")` */
    static String call(String op, List<Object> args) {
        var sb = new StringBuilder(op).append('(');
        for (int i = 0; i < args.size(); i++) sb.append(i == 0 ? "" : ", ").append(Values.show(args.get(i)));
        return sb.append(')').toString();
    }

    private static void headers(StringBuilder sb, String label, List<Header> headers) {
        if (headers.isEmpty()) return;
        sb.append(label);
        for (int i = 0; i < headers.size(); i++)
            sb.append(i == 0 ? "" : ", ").append(headers.get(i).name()).append(": ").append(headers.get(i).value());
        sb.append('\n');
    }

    private static void body(StringBuilder sb, String label, byte[] body) {
        if (body.length == 0) return;
        String text = new String(body, StandardCharsets.UTF_8).replace("\n", "\\n");
        sb.append(label).append(text.length() > BODY_CHARS ? text.substring(0, BODY_CHARS) + "… (" + body.length + " bytes)"
                : text).append('\n');
    }
}
