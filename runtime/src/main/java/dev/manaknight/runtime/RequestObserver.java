package dev.manaknight.runtime;

/**
 * What a server's status page learns from a {@link Deployment} about each request. Called on
 * the request's own threads; implementations must be cheap and thread-safe. Every method
 * defaults to nothing.
 */
public interface RequestObserver {
    /** Admitted: it runs at once or waits for a worker. */
    default void queued(InFlight request) {}

    /** Not admitted: workers and queue were full (answered 503 / FCGI_OVERLOADED). */
    default void rejected(InFlight request) {}

    /** A worker took it; its VM is about to start. */
    default void started(InFlight request) {}

    /** Its worker is free again; the run's cost and failure are final. */
    default void finished(InFlight request) {}

    /**
     * Its one reply was decided ({@link InFlight#reply}): run, refused or answered by the
     * watchdog; `status` as logged (499 for a client that went away), `micros` since it arrived.
     */
    default void completed(InFlight request, int status, long micros) {}

    /** The slow log wrote it (once per request). */
    default void slow(InFlight request) {}

    RequestObserver NONE = new RequestObserver() {};
}
