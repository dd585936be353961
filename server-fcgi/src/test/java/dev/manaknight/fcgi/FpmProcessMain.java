package dev.manaknight.fcgi;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Path;

/**
 * `manaknight fpm` as the integration tests start it in a process of its own (the cli module,
 * which has the real command, builds after this one): `FpmProcessMain CONFIG [--graceful]`.
 */
public final class FpmProcessMain {
    private FpmProcessMain() {}

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        boolean graceful = args.length > 1 && args[1].equals("--graceful");
        FpmSignals signals = FpmSignals.prepare();
        FpmServer server = FpmServer.start(() -> ConfigLoader.load(null, config), new FpmServer.ProgramLoader() {
            @Override public Program load(Config c) throws Exception {
                return Program.load(Compiler.compile(Compiler.loadSources(c.app())));
            }

            @Override public String describe(Exception e) {
                return e instanceof CompileException ce ? CodeFrame.render(ce.diagnostics()) : e.toString();
            }
        }, graceful);
        System.out.println("manaknight: fpm listening on " + server.address());
        System.out.flush();
        boolean drained = signals.serveUntilStopped(server);
        System.out.println("manaknight: fpm stopped, drained=" + drained);
        System.exit(0);
    }
}
