package dev.manaknight.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command tree in-process with captured output: what a test needs from one invocation. */
record Cli(int code, String out, String err) {
    static Cli run(AppLoader loader, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Main.commandLine(loader);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    @Override public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
