package dev.manaknight.bench;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.verify.VerifyException;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.HandlerExecutor;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.Database;
import java.io.IOException;
import java.time.Duration;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Compiles the benchmark apps shipped as resources, and finds their functions and routes by name. */
final class Apps {
    private Apps() {}

    /** Compiles and verifies `/bench/NAME` from the classpath; any diagnostic is a broken benchmark. */
    static Program load(String name) {
        try (InputStream in = Apps.class.getResourceAsStream("/bench/" + name)) {
            if (in == null) throw new IllegalStateException("no resource /bench/" + name);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Program.load(Compiler.compile(List.of(new SourceFile(name, text))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CompileException | VerifyException e) {
            throw new IllegalStateException(name + " does not compile: " + e.getMessage(), e);
        }
    }

    /** A deployment of `program` for in-process benchmarks: the default limits, this executor and database, no logs. */
    static Deployment deployment(Program program, HandlerExecutor executor, Database db) {
        var cfg = new Config(null, null, Config.Server.DEFAULTS, Config.Limits.DEFAULTS,
                new Config.Db("sqlite::memory:", 1, null), new Config.Log("off", null, Duration.ZERO, false));
        try {
            return Deployment.open(program, cfg, Deployment.Setup.test(db).withExecutor(executor));
        } catch (IOException | java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int function(Module module, String name) {
        List<Function> fns = module.functions();
        for (int i = 0; i < fns.size(); i++) if (fns.get(i).name().equals(name)) return i;
        throw new IllegalStateException("no function " + name);
    }

    static Route route(Module module, HttpMethod method, String path) {
        for (Route r : module.routes()) if (r.method() == method && r.path().equals(path)) return r;
        throw new IllegalStateException("no route " + method + " " + path);
    }
}
