package dev.manaknight.cli;

import dev.manaknight.http.HttpServer;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.SingleConnectionDatabase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;

/**
 * A test's `serve` whose database stops every commit of a request that wrote for good, just before it is sent
 * (`before-commit`) or just after it landed (`after-commit`), and says so on stderr, so that
 * JournalAuditTest can kill -9 the process at that moment and look at the journal and the
 * database. The pause lives here, in a Database of the test's, not in the server's code.
 * Arguments: APP PORT MOMENT.
 */
final class PausingServe {
    private PausingServe() {}

    public static void main(String[] args) throws Exception {
        Path app = Path.of(args[0]);
        String moment = args[2];
        Config cfg = ConfigLoader.load(app, null).withListen("127.0.0.1", Integer.parseInt(args[1]));
        Program program = cfg.settings().bind(AppLoader.standard().load(cfg.app()).program());
        var db = new Pausing(SingleConnectionDatabase.open(cfg.db().url(), cfg.limits().timeout(),
                cfg.db().connectTimeout(), cfg.db().schema(), cfg.db().migrations()), moment);
        Deployment deployment = Deployment.open(program, cfg, Deployment.Setup.test(db));
        db.requests = true; // the server's own commits at its start (audit mode's table) go through
        HttpServer server = HttpServer.start(deployment, HttpServer.Options.of(cfg));
        System.out.println("manaknight: listening on " + server.url());
        System.out.flush();
        while (true) LockSupport.park(); // until the test kills the process
    }

    private static void pause(String moment) {
        System.err.println("manaknight: test pause " + moment);
        System.err.flush();
        while (true) LockSupport.park(); // until the test kills the process
    }

    /** The database, its commits of a change stopped at the moment named. */
    private static final class Pausing implements Database {
        private final Database db;
        private final String moment;
        /** A commit that wrote is under way (beforeCommit came): `after-commit` stops once it is made. */
        private volatile boolean armed;
        /** The deployment is open: commits from here on are requests'. */
        private volatile boolean requests;

        Pausing(Database db, String moment) {
            this.db = db;
            this.moment = moment;
        }

        @Override public Connection acquire() throws SQLException {
            Connection c = db.acquire();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    new Real(c, this));
        }

        @Override public void release(Connection c) { db.release(real(c)); }

        @Override public void evict(Connection c) { db.evict(real(c)); }

        @Override public void beforeCommit() throws SQLException {
            db.beforeCommit();
            if (!requests) return;
            if (moment.equals("before-commit")) pause(moment);
            armed = true;
        }

        @Override public dev.manaknight.runtime.effects.JdbcThreads threads() { return db.threads(); }

        @Override public dev.manaknight.runtime.effects.StatementGuard statementGuard() { return db.statementGuard(); }

        @Override public void close() { db.close(); }

        private static Connection real(Connection c) { return ((Real) Proxy.getInvocationHandler(c)).c; }

        /** Calls go to the real connection; a commit that wrote stops after it when the moment is `after-commit`. */
        private record Real(Connection c, Pausing owner) implements InvocationHandler {
            @Override public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                try {
                    Object out = method.invoke(c, args);
                    if (method.getName().equals("commit") && owner.armed && owner.moment.equals("after-commit"))
                        pause(owner.moment);
                    return out;
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
    }
}
