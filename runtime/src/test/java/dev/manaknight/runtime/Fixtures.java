package dev.manaknight.runtime;

import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.Database;
import java.time.Duration;
import java.util.List;

/** Hand-built modules and a fake executor: the core tested without a compiler or a VM. */
public final class Fixtures {
    private Fixtures() {}

    public static final Type USER = new Type.Named("User");
    public static final Type NEW_USER = new Type.Named("NewUser");
    public static final Type ROLE = new Type.Named("Role");
    public static final Type COLOR = new Type.Named("Color");

    public static final List<TypeDef> TYPES = List.of(
            new TypeDef.RecordDef("User", List.of(f("id", Type.INT), f("name", Type.STRING), f("email", Type.STRING))),
            new TypeDef.RecordDef("NewUser", List.of(f("name", Type.STRING), f("email", Type.STRING),
                    f("age", Type.optionOf(Type.INT)), f("balance", Type.DECIMAL), f("role", ROLE))),
            new TypeDef.EnumDef("Role", List.of(new TypeDef.VariantDef("admin", List.of()),
                    new TypeDef.VariantDef("member", List.of()),
                    new TypeDef.VariantDef("suspended", List.of(f("reason", Type.STRING))))),
            new TypeDef.EnumDef("Color", List.of(new TypeDef.VariantDef("red", List.of()), new TypeDef.VariantDef("green", List.of()))));

    public static final int CAPS_DB = Capability.DB.bit();

    public static final EffectOp FIND_USER = new EffectOp(Capability.DB, "findUser",
            List.of(new EffectOp.Param("id", Type.INT)), Type.optionOf(USER), "SELECT id, name, email FROM users WHERE id = :id");
    public static final EffectOp LIST_USERS = new EffectOp(Capability.DB, "listUsers",
            List.of(new EffectOp.Param("limit", Type.INT)), Type.listOf(USER), "SELECT id, name, email FROM users ORDER BY id LIMIT :limit");
    public static final EffectOp CREATE_USER = new EffectOp(Capability.DB, "createUser",
            List.of(new EffectOp.Param("name", Type.STRING), new EffectOp.Param("email", Type.STRING)), USER,
            "INSERT INTO users(name, email) VALUES (:name, :email) RETURNING id, name, email");
    public static final EffectOp COUNT_USERS = new EffectOp(Capability.DB, "countUsers", List.of(), Type.INT,
            "SELECT count(*) FROM users");
    public static final EffectOp DELETE_USER = new EffectOp(Capability.DB, "deleteUser",
            List.of(new EffectOp.Param("id", Type.INT)), Type.INT, "DELETE FROM users WHERE id = :id");

    public static final String SCHEMA = """
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
            INSERT INTO users(name, email) VALUES ('Ada', 'ada@example.com');
            INSERT INTO users(name, email) VALUES ('Grace', 'grace@example.com');
            """;

    public static Route.Input path(String name, Type t) { return new Route.Input(Route.Source.PATH, name, name, t, null); }

    public static Route.Input query(String name, Type t, Constant dflt) { return new Route.Input(Route.Source.QUERY, name, name, t, dflt); }

    public static Route.Input header(String name, String wire, Type t) { return new Route.Input(Route.Source.HEADER, name, wire, t, null); }

    public static Route.Input body(String name, Type t) { return new Route.Input(Route.Source.BODY, name, name, t, null); }

    public static Route route(HttpMethod m, String path, int handler, int caps, Route.Input... inputs) {
        return new Route(m, path, handler, List.of(inputs), caps, List.of(), "app.mnk", 1);
    }

    /** The users app: handler indices 0..n name the routes below in order. */
    public static Module users() {
        return module(List.of(
                route(HttpMethod.GET, "/users/:id", 0, CAPS_DB, path("id", Type.INT)),
                route(HttpMethod.GET, "/users/me", 1, CAPS_DB),
                route(HttpMethod.POST, "/users", 2, CAPS_DB, body("u", NEW_USER)),
                route(HttpMethod.DELETE, "/users/:id", 3, CAPS_DB, path("id", Type.INT)),
                route(HttpMethod.GET, "/search", 4, 0,
                        query("limit", Type.INT, new Constant.IntConst(10)),
                        query("tag", Type.listOf(Type.STRING), null),
                        query("note", Type.optionOf(Type.STRING), null),
                        query("color", COLOR, null),
                        header("key", "Idempotency-Key", Type.STRING)),
                route(HttpMethod.GET, "/users", 5, CAPS_DB, query("limit", Type.INT, new Constant.IntConst(50)))));
    }

    public static Module module(List<Route> routes) {
        return new Module(List.of(), TYPES, List.of(), List.of(),
                List.of(FIND_USER, LIST_USERS, CREATE_USER, COUNT_USERS, DELETE_USER), routes, List.of());
    }

    /** What a fake handler does: gets the host and the arguments, returns an outcome. */
    @FunctionalInterface
    public interface Handler {
        Outcome run(Host host, Object[] args) throws Exception;
    }

    /** An executor whose "VM" runs Java lambdas by function index. */
    public static HandlerExecutor fake(Handler... handlers) {
        return (host, granted) -> new HandlerExecutor.Run() {
            volatile boolean cancelled;
            volatile Thread runner;

            @Override public Outcome invoke(int function, Object... args) {
                runner = Thread.currentThread();
                if (cancelled) runner.interrupt();
                try {
                    return handlers[function].run(host, args);
                } catch (Host.EffectFailure e) {
                    return new Outcome.Failed(new dev.manaknight.lang.vm.VmError(dev.manaknight.lang.vm.VmError.Kind.EFFECT_FAILED,
                            e.kind() + ": " + e.getMessage(), List.of(new dev.manaknight.lang.vm.VmError.StackFrame("handler", "app.mnk", 3))));
                } catch (InterruptedException e) {
                    return new Outcome.Failed(new dev.manaknight.lang.vm.VmError(dev.manaknight.lang.vm.VmError.Kind.TIMEOUT, "timed out", List.of()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            /** A fake "VM" notices a cancel the way a blocking call does: it is interrupted. */
            @Override public void cancel() {
                cancelled = true;
                Thread t = runner;
                if (t != null) t.interrupt();
            }

            @Override public long fuelUsed() { return 42; }

            @Override public long memoryUsed() { return 1024; }
        };
    }

    /** The defaults with this body limit, timeout and dev mode; no logs. */
    public static Config config(long body, Duration timeout, boolean dev) {
        var l = Config.Limits.DEFAULTS;
        return new Config(null, null, Config.Server.DEFAULTS, new Config.Limits(l.memory(), l.cpu(), l.fuel(), timeout, body),
                new Config.Db("sqlite::memory:", 1, null), new Config.Log("off", null, Duration.ZERO, dev));
    }

    /** A test deployment of `m` with a fake executor, a database (or null) and an access log. */
    public static Deployment deployment(Module m, HandlerExecutor exec, Database db, Config cfg, AccessLog log) throws Exception {
        return Deployment.open(Program.trusted(m), cfg, Deployment.Setup.test(db).withExecutor(exec).withAccessLog(log));
    }

    public static Outcome json(int status, Type t, Object v) {
        return new Outcome.Responded(new Response(status, new Response.Body.Json(t, v), List.of()));
    }

    public static Outcome text(int status, String s) {
        return new Outcome.Responded(new Response(status, new Response.Body.Text(s), List.of()));
    }

    public static Request get(String target, Header... headers) {
        return Request.of("GET", target, List.of(headers), new byte[0], "test");
    }

    public static Request req(String method, String target, String body, Header... headers) {
        return Request.of(method, target, List.of(headers), body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "test");
    }

    private static TypeDef.FieldDef f(String n, Type t) { return new TypeDef.FieldDef(n, t); }
}
