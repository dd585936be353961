package dev.manaknight.cli;

import dev.manaknight.fcgi.CgiEnvironment;
import dev.manaknight.fcgi.CgiOutput;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.AppRuntime;
import dev.manaknight.runtime.Problem;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.RequestCore;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `manaknight cgi APP`: one request from the CGI/1.1 environment (RFC 3875) and stdin, its
 * response (`Status:`, headers, blank line, body) on stdout, then exit. Same core and limits as
 * `serve` and `fpm`; APP/manaknight.toml applies when present. The access log goes to stderr
 * (stdout is the response), unless the config names a file.
 */
@Command(name = "cgi", description = "Run one request from a CGI/1.1 environment (RFC 3875) and exit.")
final class CgiCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "APP", description = "a directory of .mnk files, or a .mkb module")
    Path app;

    /** The process environment; tests replace it. */
    Map<String, String> environment = System.getenv();
    InputStream stdin = System.in;
    OutputStream stdout = System.out;

    @Override public Integer call() throws Exception {
        Config cfg = ConfigLoader.load(app, null);
        if (cfg.log().access().equals("stdout"))
            cfg = new Config(cfg.source(), cfg.app(), cfg.server(), cfg.limits(), cfg.db(),
                    new Config.Log("stderr", cfg.log().slowlog(), cfg.log().slowlogTimeout(), cfg.log().dev()));
        Program program = Program.load(AppLoader.standard().load(app).module());
        Reply reply;
        try (RequestCore core = AppRuntime.open(program, cfg)) {
            byte[] body = readBody(cfg.limits().body());
            reply = body == null ? Problem.tooLarge(cfg.limits().body()).reply()
                    : core.handle(CgiEnvironment.toRequest(environment, body));
        }
        stdout.write(CgiOutput.of(reply));
        stdout.flush();
        return ExitCode.OK;
    }

    /** RFC 3875 §4.2: exactly CONTENT_LENGTH bytes of stdin (none without it); null past the limit. */
    private byte[] readBody(long limit) throws IOException {
        String length = environment.get("CONTENT_LENGTH");
        if (length == null || length.isBlank()) return new byte[0];
        long n;
        try {
            n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return new byte[0];
        }
        if (n > limit) return null;
        return stdin.readNBytes((int) Math.max(0, n));
    }
}
