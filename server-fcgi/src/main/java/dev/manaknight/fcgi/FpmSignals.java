package dev.manaknight.fcgi;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * PHP-FPM's signals on a running server: TERM (and INT) drain and stop, USR2 and HUP reload the
 * config and program in place, USR1 reopens the log files. SIGQUIT cannot be taken: the JVM
 * keeps it for thread dumps. Each handler runs on a thread of its own, off the signal thread.
 *
 * <p>HotSpot on Linux also uses SIGUSR2 to suspend threads (JFR's sampler, profilers): with the
 * default, every JFR sample would be a reload. `_JAVA_SR_SIGNUM` (read at JVM start) moves that
 * to another signal; the launcher and the systemd unit set it, and a warning says when it is not.
 */
public final class FpmSignals {
    private FpmSignals() {}

    /** SIGRTMIN+5: free on glibc (NPTL takes the first two real-time signals). */
    public static final String SUSPEND_SIGNAL = "39";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("manaknight.fpm");

    /** Installs the handlers, then blocks until TERM/INT stopped the server; true when it drained in time. */
    public static boolean serveUntilStopped(FpmServer server) throws InterruptedException {
        var stopped = new CountDownLatch(1);
        boolean[] drained = {true};
        Runnable stop = () -> Thread.ofPlatform().name("manaknight-fpm-stop").start(() -> {
            try {
                drained[0] = server.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        });
        Signal.handle(new Signal("TERM"), s -> stop.run());
        Signal.handle(new Signal("INT"), s -> stop.run());
        String sr = System.getenv("_JAVA_SR_SIGNUM");
        if (sr == null || sr.equals("12"))
            LOG.warn("SIGUSR2 is also the JVM's thread-suspend signal: a profiler (JFR) would trigger reloads; "
                    + "start the JVM with _JAVA_SR_SIGNUM={} (use SIGHUP to reload meanwhile)", SUSPEND_SIGNAL);
        Signal.handle(new Signal("USR2"), s -> Thread.ofPlatform().name("manaknight-fpm-reload").start(server::reload));
        Signal.handle(new Signal("HUP"), s -> Thread.ofPlatform().name("manaknight-fpm-reload").start(server::reload));
        Signal.handle(new Signal("USR1"), s -> Thread.ofPlatform().name("manaknight-fpm-reopen").start(server::reopenLogs));
        stopped.await();
        return drained[0];
    }
}
