package dev.manaknight.runtime.journal;

import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How a replayed reply differs from the recorded one, byte for byte: status, headers, body. */
final class ReplyDiff {
    /** The most characters of each side a body's difference shows. */
    static final int CONTEXT = 40;

    private ReplyDiff() {}

    /** One line per difference; empty when the replies are the same bytes. */
    static List<String> of(Reply recorded, Reply got) {
        var out = new ArrayList<String>();
        if (recorded.status() != got.status()) out.add("status " + got.status() + ", recorded " + recorded.status());
        if (!recorded.headers().equals(got.headers())) out.add("headers " + show(got.headers()) + ", recorded " + show(recorded.headers()));
        if (!Arrays.equals(recorded.body(), got.body())) {
            int at = Arrays.mismatch(recorded.body(), got.body());
            out.add("body differs at byte " + at + " (" + got.body().length + " bytes, recorded " + recorded.body().length + "): "
                    + excerpt(got.body(), at) + " vs recorded " + excerpt(recorded.body(), at));
        }
        return out;
    }

    private static String show(List<Header> headers) {
        var sb = new StringBuilder("[");
        for (Header h : headers) sb.append(sb.length() == 1 ? "" : ", ").append(h.name()).append(": ").append(h.value());
        return sb.append(']').toString();
    }

    /** Up to {@link #CONTEXT} bytes from a little before `at`, as quoted text. */
    static String excerpt(byte[] body, int at) {
        int from = Math.max(0, at - 10);
        int to = Math.min(body.length, from + CONTEXT);
        String text = new String(body, from, to - from, StandardCharsets.UTF_8).replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n");
        return (from > 0 ? "…" : "") + "\"" + text + "\"" + (to < body.length ? "…" : "");
    }
}
