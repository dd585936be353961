package dev.manaknight.fcgi;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import sun.misc.Signal;

/**
 * PHP-FPM's signals on a running server: QUIT and TERM (and INT) drain and stop, USR2 and HUP
 * reload the config and program in place, USR1 reopens the log files. Each action runs on a
 * thread of its own.
 *
 * <p>Two ways to receive them:
 * <ul>
 * <li><b>signalfd</b>, when the JVM started with all six signals blocked and with `-Xrs` (the
 *     launcher does this for `fpm`): a thread reads them from a {@link SignalFd}. This is the only
 *     way to take SIGQUIT, which HotSpot otherwise keeps for thread dumps.</li>
 * <li><b>`sun.misc.Signal`</b> otherwise (a plain `java` command line): TERM, INT, USR2, HUP and
 *     USR1 as above; SIGQUIT stays the JVM's thread dump.</li>
 * </ul>
 *
 * <p>HotSpot on Linux also uses SIGUSR2 to suspend threads (JFR's sampler, profilers): with the
 * default, every JFR sample would be a reload. `_JAVA_SR_SIGNUM` (read at JVM start) moves that
 * to another signal; the launcher and the systemd unit set it, and a warning says when it is not.
 */
public final class FpmSignals {
    /** SIGRTMIN+5: free on glibc (NPTL takes the first two real-time signals). */
    public static final String SUSPEND_SIGNAL = "39";
    /** The signals `fpm` acts on, as `env --block-signal` and `kill -l` name them. */
    public static final List<String> NAMES = List.of("QUIT", "TERM", "INT", "USR2", "HUP", "USR1");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("manaknight.fpm");

    private final List<Integer> numbers;
    /** Null when the signals come through `sun.misc.Signal`. */
    private final SignalFd fd;

    private FpmSignals(List<Integer> numbers, SignalFd fd) {
        this.numbers = numbers;
        this.fd = fd;
    }

    /**
     * Chooses how signals arrive, before the server starts: with signalfd when the process blocks
     * all six, else `sun.misc.Signal`. Until {@link #serveUntilStopped} runs, a blocked signal waits.
     *
     * @throws SignalSetupException when the JVM runs with `-Xrs` but the signals are not
     *     blocked: SIGTERM would then kill the server without draining
     * @throws IOException when signalfd fails
     */
    public static FpmSignals prepare() throws IOException {
        List<Integer> numbers = NAMES.stream().map(n -> new Signal(n).getNumber()).toList();
        List<Integer> blocked = SignalFd.blocked(numbers);
        if (blocked.size() == numbers.size()) return new FpmSignals(numbers, SignalFd.open(numbers));
        if (reduceSignalUsage())
            throw new SignalSetupException("the JVM runs with -Xrs, but QUIT, TERM, INT, USR2, HUP and USR1 are not all "
                    + "blocked, so SIGTERM would kill it without draining: start it through the `manaknight` "
                    + "launcher, or as `env --block-signal=" + String.join(",", NAMES) + " java -Xrs …`");
        for (String name : List.of("USR2", "HUP", "USR1"))
            if (blocked.contains(new Signal(name).getNumber()))
                LOG.warn("SIG{} is blocked by the process that started this one: it will never arrive", name);
        return new FpmSignals(numbers, null);
    }

    /** Acts on signals until QUIT/TERM/INT stopped the server; true when it drained in time. */
    public boolean serveUntilStopped(FpmServer server) throws InterruptedException {
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
        Runnable reload = () -> Thread.ofPlatform().name("manaknight-fpm-reload").start(server::reload);
        Runnable reopen = () -> Thread.ofPlatform().name("manaknight-fpm-reopen").start(server::reopenLogs);
        String sr = System.getenv("_JAVA_SR_SIGNUM");
        if (sr == null || sr.equals("12"))
            LOG.warn("SIGUSR2 is also the JVM's thread-suspend signal: a profiler (JFR) would trigger reloads; "
                    + "start the JVM with _JAVA_SR_SIGNUM={} (use SIGHUP to reload meanwhile)", SUSPEND_SIGNAL);
        Function<String, Runnable> actions = name -> switch (name) {
            case "QUIT", "TERM", "INT" -> stop;
            case "USR2", "HUP" -> reload;
            case "USR1" -> reopen;
            default -> throw new IllegalArgumentException(name);
        };
        if (fd != null) {
            Thread.ofPlatform().name("manaknight-fpm-signals").daemon().start(() -> readLoop(actions));
        } else {
            for (String name : NAMES) {
                if (name.equals("QUIT")) continue; // HotSpot's thread dump: sun.misc.Signal refuses it
                Runnable action = actions.apply(name);
                Signal.handle(new Signal(name), s -> action.run());
            }
            LOG.info("SIGQUIT is the JVM's thread dump here (not started through the launcher): stop with SIGTERM");
        }
        stopped.await();
        return drained[0];
    }

    private void readLoop(Function<String, Runnable> actions) {
        try (fd) {
            while (true) {
                SignalFd.Received r = fd.take();
                String name = NAMES.get(numbers.indexOf(r.signal()));
                if (name.equals("QUIT") && attachRequested()) {
                    LOG.warn("SIGQUIT from pid {} with an .attach_pid{} file: a jcmd or jstack attaching, not a stop. "
                            + "The JVM's attach socket is gone (deleted from /tmp?); it comes back at the next start",
                            r.senderPid(), ProcessHandle.current().pid());
                    continue;
                }
                LOG.info("SIG{} from pid {}", name, r.senderPid());
                actions.apply(name).run();
            }
        } catch (IOException e) {
            LOG.error("reading signals failed, signals are now ignored (stop with SIGKILL): {}", e.getMessage());
        }
    }

    /**
     * HotSpot's attach protocol: a tool that finds no attach socket creates `.attach_pid<pid>` in
     * the JVM's working directory or /tmp, then sends SIGQUIT. The launcher starts the listener at
     * once (`-XX:+StartAttachListener`), so this happens only when its socket was deleted.
     */
    private static boolean attachRequested() {
        String file = ".attach_pid" + ProcessHandle.current().pid();
        return Files.exists(Path.of(file)) || Files.exists(Path.of("/tmp", file));
    }

    /** True when HotSpot runs with `-Xrs` (from the command line or JAVA_TOOL_OPTIONS). */
    private static boolean reduceSignalUsage() {
        var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return hotspot != null && hotspot.getVMOption("ReduceSignalUsage").getValue().equals("true");
    }
}
