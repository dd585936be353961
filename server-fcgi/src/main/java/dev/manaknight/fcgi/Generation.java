package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.RequestCore;
import dev.manaknight.runtime.VmExecutor;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.PooledDatabase;
import dev.manaknight.runtime.effects.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded program with its configuration, core, database pool and logs. SIGUSR2 makes a new
 * generation; requests that entered the old one finish on it, then it is closed.
 */
final class Generation implements AutoCloseable {
    final Config config;
    final RequestCore core;
    private final AccessLogFile accessLog;
    private final SlowLog slowLog;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retired;

    private Generation(Config config, RequestCore core, AccessLogFile accessLog, SlowLog slowLog) {
        this.config = config;
        this.core = core;
        this.accessLog = accessLog;
        this.slowLog = slowLog;
    }

    /** Like `AppRuntime.open`, with the VM executor metered for the status page and ABORT_REQUEST. */
    static Generation open(Program program, Config config, FpmStatus status) throws IOException, SQLException {
        var accessLog = new AccessLogFile(config.log().access());
        var slowLog = new SlowLog(config.log().slowlog(), config.log().slowlogTimeout(), status);
        Database db = null;
        try {
            if (RequestCore.usesDatabase(program.module())) {
                db = PooledDatabase.open(config.db().url(), config.db().pool());
                if (config.db().schema() != null)
                    Schema.applyIfEmpty(db, Files.readString(config.db().schema(), StandardCharsets.UTF_8));
            }
            var options = new RequestCore.Options(config.limits().body(), config.limits().timeout(), config.log().dev());
            var executor = new MeteredExecutor(new VmExecutor(program, config.limits().vm()), status, slowLog);
            return new Generation(config, new RequestCore(program.module(), executor, db, options, accessLog), accessLog, slowLog);
        } catch (IOException | SQLException | RuntimeException e) {
            if (db != null) db.close();
            accessLog.close();
            slowLog.close();
            throw e;
        }
    }

    /** Counts a request in; false when this generation was retired meanwhile (use the new one). */
    boolean enter() {
        inFlight.incrementAndGet();
        if (!retired) return true;
        inFlight.decrementAndGet();
        return false;
    }

    void exit() { inFlight.decrementAndGet(); }

    int inFlight() { return inFlight.get(); }

    /** No new request enters; waits (at most `timeout`) for those inside, then closes. */
    boolean retire(Duration timeout) throws InterruptedException {
        retired = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        boolean drained = inFlight.get() == 0;
        close();
        return drained;
    }

    void reopenLogs() throws IOException {
        accessLog.reopen();
        slowLog.reopen();
    }

    @Override public void close() {
        core.close();
        accessLog.close();
        slowLog.close();
    }
}
