package dev.manaknight.runtime.effects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Response;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmLimits;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.model.Type;
import dev.manaknight.runtime.json.JsonEncoder;
import dev.manaknight.runtime.json.JsonText;
import dev.manaknight.runtime.json.TypeTable;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 15: `clock.now()` (an Instant), `random.uuid()`, `random.uuid7()` and `random.token(n)`
 * come from the request's host (a CSPRNG, the clock), are recorded with their results, and a
 * request replayed from its recording answers byte for byte what it answered the first time.
 */
class EffectReplayTest {
    private static final String APP = """
            type Made { at: Instant, later: Instant, id: String, ordered: String, token: String, roll: Int }

            api GET /made {
              uses { clock, random }
              let at = clock.now()
              respond json(Made { at: at, later: at.plus(90.minutes()), id: random.uuid(), ordered: random.uuid7(),
                                  token: random.token(32), roll: random.int(1, 6) })
            }
            """;
    private static final long NOW = 1_767_322_800_123L; // 2026-01-02T03:00:00.123Z
    private static final VmLimits LIMITS = new VmLimits(1 << 20, 1_000_000, 0, 64);

    private final Program program = program();
    private final JsonEncoder encoder = new JsonEncoder(new TypeTable(program.module()));

    private static Program program() {
        try {
            return Program.load(Compiler.compile(List.of(new SourceFile("made.mnk", APP))));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int all() {
        int bits = 0;
        for (Capability c : Capability.values()) bits |= c.bit();
        return bits;
    }

    private RequestHost host() {
        return new RequestHost("r1", all(), null, new QueryCatalog(program.module().effects()), null,
                LoggerFactory.getLogger("test"), () -> NOW, new SecureRandom());
    }

    private byte[] body(Outcome o) {
        var r = assertInstanceOf(Outcome.Responded.class, o, o.toString()).response();
        var json = assertInstanceOf(Response.Body.Json.class, r.body());
        return encoder.encode(json.type(), json.value());
    }

    /** Answers each call with the recorded result, and fails on a call the recording does not have in that place. */
    private record Replay(List<EffectCall> recorded, List<String> seen) implements Host {
        @Override public Object effect(EffectOp op, Object[] args) {
            EffectCall c = recorded.get(seen.size());
            seen.add(op.qualifiedName());
            assertEquals(c.op(), op.qualifiedName(), "the replay makes the same calls in the same order");
            assertEquals(c.args(), List.of(args));
            return c.result();
        }

        /** Not effects: what the runtime's reader and decoder answer depends on the text alone (as `ReplayHost`'s). */
        @Override public Object parseJson(String text) { return JsonText.parse(text); }

        @Override public Object decodeJson(String text, Type type, Module module) { return JsonText.decode(text, type, module); }
    }

    @Test void aReplayedRequestAnswersTheSameBytes() {
        RequestHost host = host();
        var vm = new Vm(program, host, LIMITS, all());
        byte[] first = body(vm.invoke(program.module().routes().getFirst().handler()));
        List<EffectCall> calls = host.calls();
        assertEquals(List.of("clock.now", "random.uuid", "random.uuid7", "random.token", "random.int"),
                calls.stream().map(EffectCall::op).toList());
        var replay = new Replay(calls, new ArrayList<>());
        byte[] again = body(new Vm(program, replay, LIMITS, all()).invoke(program.module().routes().getFirst().handler()));
        assertArrayEquals(first, again, new String(first, StandardCharsets.UTF_8));
        assertEquals(5, replay.seen().size());

        String text = new String(first, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"at\":\"2026-01-02T03:00:00.123Z\",\"later\":\"2026-01-02T04:30:00.123Z\""), text);
        byte[] other = body(new Vm(program, host(), LIMITS, all()).invoke(program.module().routes().getFirst().handler()));
        assertNotEquals(text, new String(other, StandardCharsets.UTF_8), "a new request draws new random values");
    }

    @Test void uuidsAreVersion4And7AndTheSevenCarriesTheClock() throws Exception {
        RequestHost host = host();
        EffectOp v4 = op("uuid"), v7 = op("uuid7");
        var a = UUID.fromString((String) host.effect(v4, new Object[0]));
        var b = UUID.fromString((String) host.effect(v7, new Object[0]));
        assertEquals(4, a.version());
        assertEquals(2, a.variant());
        assertEquals(7, b.version());
        assertEquals(2, b.variant());
        assertEquals(NOW, b.getMostSignificantBits() >>> 16, "the first 48 bits are the clock's milliseconds");
        assertEquals(Instant.ofEpochMilli(NOW), host.effect(op("now", Capability.CLOCK), new Object[0]));
    }

    @Test void aTokenIsBase64urlOfItsBytesFromOneTo1024() throws Exception {
        RequestHost host = host();
        EffectOp token = op("token");
        var url = Pattern.compile("[A-Za-z0-9_-]+");
        String one = (String) host.effect(token, new Object[] {1L});
        String most = (String) host.effect(token, new Object[] {(long) RequestHost.MAX_TOKEN_BYTES});
        assertTrue(url.matcher(one).matches() && one.length() == 2, one);
        assertEquals(1366, most.length(), "1024 bytes are 1366 base64url chars without padding");
        assertTrue(url.matcher(most).matches());
        assertEquals("random", assertThrows(Host.EffectFailure.class, () -> host.effect(token, new Object[] {0L})).kind());
        assertEquals("random", assertThrows(Host.EffectFailure.class,
                () -> host.effect(token, new Object[] {(long) RequestHost.MAX_TOKEN_BYTES + 1})).kind());
        assertNotEquals(host.effect(token, new Object[] {16L}), host.effect(token, new Object[] {16L}));
        assertEquals(6, host.calls().size(), "failures are recorded too");
    }

    @Test void passwordsAreBcryptWithARandomSaltAndVerify() throws Exception {
        RequestHost host = host();
        EffectOp hash = op("hash", Capability.PASSWORD), verify = op("verify", Capability.PASSWORD);
        String h = (String) host.effect(hash, new Object[] {"correct horse"});
        assertTrue(h.startsWith("$2b$10$") && h.length() == 60, h);
        assertNotEquals(h, host.effect(hash, new Object[] {"correct horse"}), "a new salt every time");
        assertEquals(true, host.effect(verify, new Object[] {"correct horse", h}));
        assertEquals(false, host.effect(verify, new Object[] {"correct horsf", h}));
        String most = "é".repeat(36); // 72 bytes: bcrypt reads them all
        assertEquals(true, host.effect(verify, new Object[] {most, host.effect(hash, new Object[] {most})}));
        assertEquals("password",
                assertThrows(Host.EffectFailure.class, () -> host.effect(hash, new Object[] {most + "x"})).kind());
        assertEquals("password",
                assertThrows(Host.EffectFailure.class, () -> host.effect(verify, new Object[] {"x", "md5:abc"})).kind());
        assertEquals(List.of("password.hash", "password.hash", "password.verify", "password.verify", "password.hash",
                "password.verify", "password.hash", "password.verify"), host.calls().stream().map(EffectCall::op).toList());
    }

    /**
     * Issue 15, item 9: an outbound call is recorded with its arguments and its typed answer, a
     * replay answers the same bytes, and a request that made one (or only tried) is not repeatable.
     */
    @Test void anOutboundCallIsRecordedAndReplayed() throws Exception {
        Program p = Program.load(Compiler.compile(List.of(new SourceFile("hook.mnk", """
                type Sent { status: Int, body: String }

                api POST /hook {
                  uses { http }
                  let r = http.send("POST", "https://hooks.example.com/e", { "X-Signature": "sha256=ab" }, "{}")
                  match r {
                    ok(a) -> respond json(Sent { status: a.status, body: a.body })
                    err(e) -> respond status 502 text(e)
                  }
                }
                """))));
        var stubs = new StubOutbound();
        stubs.stub("POST", "https://hooks.example.com/e", 202, "queued");
        var host = new RequestHost("r1", all(), null, new QueryCatalog(p.module().effects()), null,
                LoggerFactory.getLogger("test"), () -> NOW, new SecureRandom(), stubs, Long.MAX_VALUE);
        assertTrue(host.repeatable());
        var enc = new JsonEncoder(new TypeTable(p.module()));
        int handler = p.module().routes().getFirst().handler();
        byte[] first = bodyOf(enc, new Vm(p, host, LIMITS, all()).invoke(handler));
        assertEquals("{\"status\":202,\"body\":\"queued\"}", new String(first, StandardCharsets.UTF_8));
        assertEquals(false, host.repeatable(), "a request that made an outbound call is never run again");
        List<EffectCall> calls = host.calls();
        assertEquals(1, calls.size());
        assertEquals("http.send", calls.getFirst().op());
        assertEquals("POST", calls.getFirst().args().getFirst());
        assertEquals(1, stubs.calls().size());
        var replay = new Replay(calls, new ArrayList<>());
        assertArrayEquals(first, bodyOf(enc, new Vm(p, replay, LIMITS, all()).invoke(handler)));

        var refusing = new RequestHost("r2", all(), null, new QueryCatalog(p.module().effects()), null,
                LoggerFactory.getLogger("test"), () -> NOW, new SecureRandom(), new StubOutbound(), Long.MAX_VALUE);
        var failed = assertInstanceOf(Outcome.Failed.class, new Vm(p, refusing, LIMITS, all()).invoke(handler));
        assertTrue(failed.error().message().contains("no stub answers POST https://hooks.example.com/e"), failed.toString());
        assertEquals(false, refusing.repeatable(), "a call tried and refused counts too");
        assertTrue(refusing.calls().getFirst().failure().startsWith("http-refused: "), refusing.calls().toString());
        // Issue 15: a refusal has a problem type of its own, and a replay that rebuilds it from its record fails alike.
        assertEquals(dev.manaknight.lang.vm.VmError.Kind.OUTBOUND_REFUSED, failed.error().kind());
        String recorded = refusing.calls().getFirst().failure();
        assertEquals(dev.manaknight.lang.vm.VmError.Kind.OUTBOUND_REFUSED,
                new Host.EffectFailure(recorded.substring(0, recorded.indexOf(": ")), "").vmKind());
    }

    /** Issue 15: an outbound answer read with `r.json()` and `T.fromJson` replays to the same bytes, an `err` too. */
    @Test void aDecodedAnswerReplaysTheSameBytes() throws Exception {
        Program p = Program.load(Compiler.compile(List.of(new SourceFile("quote.mnk", """
                type Quote { currency: String, rate: Decimal }

                api GET /quote {
                  uses { http }
                  let q = http.send("GET", "https://rates.example.com/EUR", {}, "").andThen(r -> r.json())
                      .andThen(j -> Quote.fromJson(j))
                  match q {
                    ok(v) -> respond json(v)
                    err(e) -> respond status 502 json({ "error": e })
                  }
                }
                """))));
        var enc = new JsonEncoder(new TypeTable(p.module()));
        int handler = p.module().routes().getFirst().handler();
        for (String answer : List.of("{\"currency\":\"EUR\",\"rate\":1.0850}", "{\"currency\":\"EUR\"}")) {
            var stubs = new StubOutbound();
            stubs.stub("GET", "https://rates.example.com/EUR", 200, answer);
            var host = new RequestHost("r1", all(), null, new QueryCatalog(p.module().effects()), null,
                    LoggerFactory.getLogger("test"), () -> NOW, new SecureRandom(), stubs, Long.MAX_VALUE);
            Outcome first = new Vm(p, host, LIMITS, all()).invoke(handler);
            byte[] bytes = bodyOf(enc, first);
            var replay = new Replay(host.calls(), new ArrayList<>());
            Outcome again = new Vm(p, replay, LIMITS, all()).invoke(handler);
            assertArrayEquals(bytes, bodyOf(enc, again), new String(bytes, StandardCharsets.UTF_8));
            assertEquals(statusOf(first), statusOf(again));
            assertEquals(answer.contains("rate") ? 200 : 502, statusOf(first), new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static int statusOf(Outcome o) {
        return assertInstanceOf(Outcome.Responded.class, o, o.toString()).response().status();
    }

    /** `http.send`'s method is 1 to 16 capital letters (a token the client sends as is); anything else fails the request. */
    @Test void sendTakesAMethodOfUpTo16CapitalLetters() throws Exception {
        var stubs = new StubOutbound();
        String longest = "A".repeat(16), url = "https://hooks.example.com/e";
        stubs.stub(longest, url, 200, "ok");
        var host = new RequestHost("r1", all(), null, new QueryCatalog(program.module().effects()), null,
                LoggerFactory.getLogger("test"), () -> NOW, new SecureRandom(), stubs, Long.MAX_VALUE);
        EffectOp send = op("send", Capability.HTTP);
        var empty = dev.manaknight.lang.vm.Values.MapValue.EMPTY;
        assertInstanceOf(dev.manaknight.lang.vm.Values.Ok.class, host.effect(send, new Object[] {longest, url, empty, ""}));
        for (String bad : List.of("A".repeat(17), "get", "", "PO ST"))
            assertEquals("http", assertThrows(Host.EffectFailure.class,
                    () -> host.effect(send, new Object[] {bad, url, empty, ""})).kind(), bad);
        assertEquals(1, stubs.calls().size(), "a refused method sends nothing");
    }

    private static byte[] bodyOf(JsonEncoder enc, Outcome o) {
        var r = assertInstanceOf(Outcome.Responded.class, o, o.toString()).response();
        var json = assertInstanceOf(Response.Body.Json.class, r.body());
        return enc.encode(json.type(), json.value());
    }

    private static EffectOp op(String name) { return op(name, Capability.RANDOM); }

    private static EffectOp op(String name, Capability cap) {
        return EffectOp.BUILT_IN.stream().filter(o -> o.capability() == cap && o.name().equals(name)).findFirst().orElseThrow();
    }
}
