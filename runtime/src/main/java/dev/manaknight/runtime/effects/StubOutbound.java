package dev.manaknight.runtime.effects;

import dev.manaknight.lang.vm.Host.EffectFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * `manaknight test`'s outbound calls: each answered by the stub the test declared for its method
 * and URL (`http.stub`), never by the network; a call no stub answers fails its request. One per
 * test, shared by the test (which declares) and the requests it sends (which call).
 */
public final class StubOutbound implements Outbound {
    private record Stub(String method, String url, int status, String body) {}

    private final List<Stub> stubs = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();

    /** `http.stub(method, url, status, body)`: a later stub for the same call replaces an earlier one. */
    public synchronized void stub(String method, String url, int status, String body) {
        String m = method.toUpperCase(Locale.ROOT);
        stubs.removeIf(s -> s.method.equals(m) && s.url.equals(url));
        stubs.add(new Stub(m, url, status, body));
    }

    @Override public synchronized Result send(Call call, long deadlineNanos, Stop stop) throws EffectFailure {
        calls.add(call);
        String m = call.method().toUpperCase(Locale.ROOT);
        for (Stub s : stubs)
            if (s.method.equals(m) && s.url.equals(call.url().toString()))
                return new Result.Answer(s.status, List.of(), s.body);
        throw new EffectFailure(EffectFailure.OUTBOUND_REFUSED, "no stub answers " + m + " " + call.url()
                + "; declare one in the test: http.stub(\"" + m + "\", \"" + call.url() + "\", 200, \"…\")");
    }

    /** Every call made so far, in order. */
    public synchronized List<Call> calls() { return List.copyOf(calls); }
}
