package dev.manaknight.bench;

import static dev.manaknight.fcgi.FcgiProtocol.FCGI_BEGIN_REQUEST;
import static dev.manaknight.fcgi.FcgiProtocol.FCGI_PARAMS;
import static dev.manaknight.fcgi.FcgiProtocol.FCGI_REQUEST_COMPLETE;
import static dev.manaknight.fcgi.FcgiProtocol.FCGI_STDIN;

import dev.manaknight.fcgi.CgiEnvironment;
import dev.manaknight.fcgi.CgiOutput;
import dev.manaknight.fcgi.FcgiConnection;
import dev.manaknight.fcgi.FcgiLimits;
import dev.manaknight.fcgi.FcgiProtocol;
import dev.manaknight.fcgi.FcgiRequest;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.VmLimits;
import dev.manaknight.runtime.AccessLog;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.VmExecutor;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One FastCGI request as nginx sends it (the peers' fastcgi_params, keep-conn off) through
 * everything `fpm` does above the socket: decode the records, build the request, run /hello in
 * a fresh VM, write the CGI response and frame it. Netty and the kernel are not in it; run with
 * `-prof gc` for the bytes a request allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FcgiBench {
    private Deployment core;
    private byte[] wire;
    private byte[] answer;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Program program = Apps.load("seed.mnk");
        core = Apps.deployment(program, new VmExecutor(program, VmLimits.DEFAULTS), null);
        // The values nginx fills in for `GET /hello` with the peers' fastcgi_params.
        var params = new LinkedHashMap<String, String>();
        params.put("QUERY_STRING", "");
        params.put("REQUEST_METHOD", "GET");
        params.put("CONTENT_TYPE", "");
        params.put("CONTENT_LENGTH", "");
        params.put("SCRIPT_NAME", "/hello");
        params.put("REQUEST_URI", "/hello");
        params.put("DOCUMENT_URI", "/hello");
        params.put("DOCUMENT_ROOT", "/etc/nginx/html");
        params.put("SERVER_PROTOCOL", "HTTP/1.1");
        params.put("REQUEST_SCHEME", "http");
        params.put("GATEWAY_INTERFACE", "CGI/1.1");
        params.put("SERVER_SOFTWARE", "nginx/1.22.1");
        params.put("REMOTE_ADDR", "127.0.0.1");
        params.put("REMOTE_PORT", "51234");
        params.put("SERVER_ADDR", "127.0.0.1");
        params.put("SERVER_PORT", "18181");
        params.put("SERVER_NAME", "");
        params.put("REDIRECT_STATUS", "200");
        params.put("HTTP_HOST", "127.0.0.1:18181");
        params.put("HTTP_USER_AGENT", "wrk");
        params.put("HTTP_ACCEPT", "*/*");
        var out = new ByteArrayOutputStream();
        FcgiProtocol.writeRecord(out, FCGI_BEGIN_REQUEST, 1, new byte[] {0, 1, 0, 0, 0, 0, 0, 0});
        FcgiProtocol.writeRecord(out, FCGI_PARAMS, 1, FcgiProtocol.encodePairs(params));
        FcgiProtocol.writeRecord(out, FCGI_PARAMS, 1, new byte[0]);
        FcgiProtocol.writeRecord(out, FCGI_STDIN, 1, new byte[0]);
        wire = out.toByteArray();
        byte[] first = hello();
        if (!new String(first, java.nio.charset.StandardCharsets.ISO_8859_1).contains("{\"message\":\"hello\"}"))
            throw new IllegalStateException("unexpected answer");
    }

    @TearDown(Level.Trial)
    public void tearDown() { core.close(); }

    /** Records in, a framed answer out: a new connection per request, as with keep-conn off. */
    @Benchmark
    public byte[] hello() throws Exception {
        answer = null;
        FcgiConnection[] conn = new FcgiConnection[1];
        conn[0] = new FcgiConnection(FcgiLimits.of(1 << 20, 1024, FcgiLimits.DEFAULT_MAX_CONNS), new FcgiConnection.Sink() {
            @Override public void request(FcgiRequest r) {
                // Inline, as `fpm` runs /hello: on the thread that decoded it.
                var reply = new dev.manaknight.runtime.Reply[1];
                core.submit(CgiEnvironment.toRequest(r.params(), r.stdin()), true, done -> reply[0] = done.reply());
                byte[] stdout = CgiOutput.of(reply[0]);
                answer = conn[0].end(r.id(), stdout, 0, FCGI_REQUEST_COMPLETE).bytes();
            }

            @Override public void abort(int requestId) {}

            @Override public void write(byte[] bytes) {}
        });
        conn[0].feed(wire, 0, wire.length);
        return answer;
    }
}
