package dev.manaknight.bench;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.types.HttpMethod;
import dev.manaknight.lang.verify.VerifyException;
import dev.manaknight.lang.vm.Program;
import java.io.IOException;
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
