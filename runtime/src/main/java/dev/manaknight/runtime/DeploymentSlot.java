package dev.manaknight.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment a server hands its new requests to, swapped whole by a reload (`fpm`'s SIGUSR2,
 * `dev`'s save): requests already running finish on the deployment they entered, new ones get
 * the next, none is dropped. A request enters one deployment and stays there from its routing to
 * its reply ({@link Deployment#submit} refuses once the deployment is retired, and then the
 * request goes to its successor), so it never sees two programs. The transports' handlers hold
 * the slot, never a deployment, and read {@link #current} where they need one.
 */
public final class DeploymentSlot {
    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private volatile Deployment current;

    public DeploymentSlot(Deployment first) {
        this.current = Objects.requireNonNull(first);
    }

    /** The deployment new requests go to now. */
    public Deployment current() { return current; }

    /** Hands a request to the current deployment (its successor, if a swap retired it meanwhile). */
    public InFlight submit(Request req, boolean mayRunHere, Consumer<InFlight> deliver) {
        while (true) {
            InFlight r = current.submit(req, mayRunHere, deliver);
            if (r != null) return r;
        }
    }

    /**
     * Makes `next` current, then retires the previous deployment on a thread of its own: it takes
     * no new request, its requests get `drainTimeout` to finish (then they are stopped), and it closes.
     *
     * @return the previous deployment, retiring
     */
    public synchronized Deployment swap(Deployment next, Duration drainTimeout) {
        Deployment old = current;
        current = Objects.requireNonNull(next);
        Thread.ofVirtual().name("manaknight-retire").start(() -> {
            try {
                if (!old.retire(drainTimeout))
                    LOG.warn("reload: requests still running on the old program after drain_timeout were stopped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return old;
    }
}
