package dev.manaknight.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `manaknight cgi APP`: answer one CGI/1.1 request and exit. Its arguments parse; it does not run yet. */
@Command(name = "cgi", description = "Run one request from a CGI/1.1 environment (RFC 3875) and exit (NOT IMPLEMENTED YET).")
final class CgiCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "APP", description = "a directory of .mnk files, or a .mkb module")
    Path app;

    @Override public Integer call() {
        spec.commandLine().getErr().println(
                "manaknight cgi: not implemented yet (CGI mode is still to come); use `manaknight serve` for now");
        return ExitCode.SOFTWARE;
    }
}
