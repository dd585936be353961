package dev.manaknight.runtime.effects;

import dev.manaknight.lang.vm.Host.EffectFailure;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Where `http.send` goes: the network, within the configuration's policy ({@link HttpOutbound}),
 * or in `manaknight test` the answers the test declared ({@link StubOutbound}).
 */
public sealed interface Outbound extends AutoCloseable permits HttpOutbound, StubOutbound {
    /** One outbound call as the app made it. */
    record Call(String method, URI url, Map<String, String> headers, String body) {
        public Call { headers = Map.copyOf(headers); }
    }

    /** What a call got: an answer, or a failure the app receives as `err(message)`. */
    sealed interface Result {
        record Answer(int status, List<Map.Entry<String, String>> headers, String body) implements Result {
            public Answer { headers = List.copyOf(headers); }
        }

        record Failure(String message) implements Result {}
    }

    /**
     * Makes the call, waiting at most until `deadlineNanos` (System.nanoTime) or `stop`.
     *
     * @throws EffectFailure when the call may not be made (its host is not allowed: `http-refused`)
     *                       or the request's deadline or stop ended it (`timeout`): the request fails
     */
    Result send(Call call, long deadlineNanos, Stop stop) throws EffectFailure;

    /** Lets a request's cancel end the call it is waiting for. */
    final class Stop {
        private volatile java.util.concurrent.Future<?> waitingFor;
        private volatile boolean stopped;

        /** The call now waited for (null when none); cancelled at once if the request was stopped already. */
        void waitFor(java.util.concurrent.Future<?> f) {
            waitingFor = f;
            if (stopped && f != null) f.cancel(true);
        }

        boolean stopped() { return stopped; }

        /** Ends the wait, now and for any later call. */
        public void stop() {
            stopped = true;
            var f = waitingFor;
            if (f != null) f.cancel(true);
        }
    }

    @Override default void close() {}
}
