package dev.manaknight.fcgi;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Path;

/** `manaknight cgi` as the fcgiwrap integration test runs it (the cli module builds after this one): `CgiProcessMain CONFIG`. */
public final class CgiProcessMain {
    private CgiProcessMain() {}

    public static void main(String[] args) throws Exception {
        var config = ConfigLoader.load(null, Path.of(args[0]));
        Program program = Program.load(Compiler.compile(Compiler.loadSources(config.app())));
        CgiRunner.run(program, config, System.getenv(), System.in, System.out, System.err);
    }
}
