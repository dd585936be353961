package dev.manaknight.lang.vm;

import static dev.manaknight.lang.bytecode.Opcode.*;
import static dev.manaknight.lang.vm.VmTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.model.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Effects, responses and the test-only instructions, through a fake host. */
class EffectTest {
    private final Asm asm = new Asm();
    private final FakeHost host = new FakeHost();

    private Outcome run(int fn, int granted) {
        return new Vm(asm.program(), host, ROOMY, granted).invoke(fn);
    }

    @Test
    void effectPassesBoxedArgumentsAndPushesTheResult() {
        int find = asm.effect(Capability.DB, "findUser", 2, Type.optionOf(Type.STRING));
        int a = asm.str("x");
        host.answer = (op, args) -> new Values.Some(op.name() + ":" + args[0] + "," + args[1]);
        int fn = asm.fn("h").result(Kind.R).code(c -> c.op(SMALL_INT, 7).op(BOX_INT).op(CONST, a).op(EFFECT, find).op(RET_R));
        assertEquals(new Values.Some("findUser:7,x"), returned(run(fn, Capability.DB.bit())));
        assertEquals(List.of("db.findUser[7, x]"), host.calls);
    }

    @Test
    void effectWithoutItsCapabilityIsDeniedBeforeTheHostIsAsked() {
        int now = asm.effect(Capability.CLOCK, "now", 0, Type.INT);
        int fn = asm.fn("h").result(Kind.P).code(c -> c.line(3).op(EFFECT, now).op(UNBOX_INT).op(RET_P));
        VmError e = failed(run(fn, Capability.DB.bit() | Capability.LOG.bit()));
        assertEquals(VmError.Kind.CAPABILITY_DENIED, e.kind());
        assertTrue(e.message().contains("clock.now"), e.message());
        assertEquals(3, e.stack().getFirst().line());
        assertEquals(List.of(), host.calls);
        host.answer = (op, args) -> 1234L;
        assertEquals(1234L, returned(run(fn, Capability.CLOCK.bit())));
    }

    @Test
    void failedEffectBecomesEffectFailedWithItsMessage() {
        int q = asm.effect(Capability.DB, "boom", 0, Type.INT);
        host.failWith = "expected one row, got 2";
        int fn = asm.fn("h").result(Kind.R).code(c -> c.op(EFFECT, q).op(RET_R));
        VmError e = failed(run(fn, ALL));
        assertEquals(VmError.Kind.EFFECT_FAILED, e.kind());
        assertEquals("expected one row, got 2", e.message());
    }

    @Test
    void hostBugsAreInternalErrorsNotExceptions() {
        int q = asm.effect(Capability.DB, "bad", 0, Type.INT);
        int u = asm.effect(Capability.LOG, "info", 0, Type.UNIT);
        host.answer = (op, args) -> {
            if (op.name().equals("bad")) throw new IllegalStateException("driver exploded");
            return null;
        };
        int fn = asm.fn("h").result(Kind.R).code(c -> c.op(EFFECT, q).op(RET_R));
        VmError e = failed(run(fn, ALL));
        assertEquals(VmError.Kind.INTERNAL, e.kind());
        assertTrue(e.message().contains("driver exploded"));
        // null for a Unit effect is unit; for anything else a host bug
        int unit = asm.fn("u").result(Kind.R).code(c -> c.op(EFFECT, u).op(RET_R));
        assertSame(Values.Unit.UNIT, returned(run(unit, ALL)));
        host.answer = (op, args) -> null;
        assertEquals(VmError.Kind.INTERNAL, failed(run(fn, ALL)).kind());
    }

    @Test
    void effectResultsAreChargedToTheMeter() {
        int q = asm.effect(Capability.DB, "big", 0, Type.STRING);
        host.answer = (op, args) -> "x".repeat(1000);
        int fn = asm.fn("h").result(Kind.R).code(c -> c.op(EFFECT, q).op(RET_R));
        var vm = new Vm(asm.program(), host, ROOMY, ALL);
        returned(vm.invoke(fn));
        // the argument array (empty) plus the string
        assertEquals(MemoryMeter.array(0) + MemoryMeter.string(1000), vm.memoryUsed());
        var small = new Vm(asm.program(), host, new VmLimits(MemoryMeter.string(1000), 1000, 0, 8), ALL);
        assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(small.invoke(fn)).kind());
    }

    @Test
    void respondWithJsonBodyAndHeaders() {
        int ref = asm.typeRef(Type.listOf(Type.INT));
        int loc = asm.str("Location"), where = asm.str("/x/1"), xa = asm.str("X-A"), one = asm.str("1");
        int fn = asm.fn("h").code(c -> c.op(SMALL_INT, 201).op(SMALL_INT, 5).op(BOX_INT).op(LIST_NEW, 1).op(JSON, ref)
                .op(CONST, loc).op(CONST, where).op(CONST, xa).op(CONST, one).op(RESPOND, 2));
        var r = assertInstanceOf(Outcome.Responded.class, run(fn, 0)).response();
        assertEquals(201, r.status());
        assertEquals(new Response.Body.Json(Type.listOf(Type.INT), list(5L)), r.body());
        assertEquals(List.of(new Response.Header("Location", "/x/1"), new Response.Header("X-A", "1")), r.headers());
    }

    @Test
    void respondWithTextOrNoBody() {
        int hi = asm.str("hi");
        int text = asm.fn("t").code(c -> c.op(SMALL_INT, 200).op(CONST, hi).op(TEXT).op(RESPOND, 0));
        assertEquals(new Response(200, new Response.Body.Text("hi"), List.of()),
                assertInstanceOf(Outcome.Responded.class, run(text, 0)).response());
        int none = asm.fn("n").code(c -> c.op(SMALL_INT, 204).op(UNIT).op(RESPOND, 0));
        assertEquals(new Response(204, new Response.Body.None(), List.of()),
                assertInstanceOf(Outcome.Responded.class, run(none, 0)).response());
    }

    @Test
    void respondKeepCarriesTheKeepFlag() {
        // issue 14: RESPOND_KEEP is RESPOND with Response.keep set; the runtime decides what it means.
        int keep = asm.fn("k").code(c -> c.op(SMALL_INT, 409).op(UNIT).op(RESPOND_KEEP, 0));
        assertEquals(new Response(409, new Response.Body.None(), List.of(), true),
                assertInstanceOf(Outcome.Responded.class, run(keep, 0)).response());
        int plain = asm.fn("p").code(c -> c.op(SMALL_INT, 409).op(UNIT).op(RESPOND, 0));
        assertFalse(assertInstanceOf(Outcome.Responded.class, run(plain, 0)).response().keep());
    }

    @Test
    void respondEndsTheWholeRunEvenFromACallee() {
        int inner = asm.fn("inner").result(Kind.P).code(c -> c.op(SMALL_INT, 418).op(UNIT).op(RESPOND, 0));
        int outer = asm.fn("outer").code(c -> c.op(CALL, inner).op(POP_P).op(SMALL_INT, 200).op(UNIT).op(RESPOND, 0));
        assertEquals(418, assertInstanceOf(Outcome.Responded.class, run(outer, 0)).response().status());
    }

    /** Issue 12: a control character in a header reached the wire and hung the connection; now the handler fails. */
    @Test
    void everyControlCharacterButTabInAHeaderIsABadValue() {
        int name = asm.str("X-A");
        for (char c = 0; c <= 0x7F; c = (char) (c == 0x1F ? 0x7F : c + 1)) {
            int value = asm.str("a" + c + "b");
            int fn = asm.fn("v" + (int) c).code(k -> k.op(SMALL_INT, 200).op(UNIT).op(CONST, name).op(CONST, value).op(RESPOND, 1));
            Outcome o = run(fn, 0);
            if (c == '\t') assertInstanceOf(Outcome.Responded.class, o, "TAB is allowed in a value");
            else assertEquals(VmError.Kind.BAD_VALUE, failed(o).kind(), "U+" + Integer.toHexString(c));
        }
        int ok = asm.str("v");
        for (String bad : List.of("", "X A", "X:A", "X\u00e9", "X\tA", "X(A)")) {
            int n = asm.str(bad);
            int fn = asm.fn("n" + bad.hashCode()).code(k -> k.op(SMALL_INT, 200).op(UNIT).op(CONST, n).op(CONST, ok).op(RESPOND, 1));
            assertEquals(VmError.Kind.BAD_VALUE, failed(run(fn, 0)).kind(), "name `" + bad + "`");
        }
        int good = asm.str("X-Custom_Name.1!#$%&'*+^`|~");
        int fn = asm.fn("g").code(k -> k.op(SMALL_INT, 200).op(UNIT).op(CONST, good).op(CONST, ok).op(RESPOND, 1));
        assertInstanceOf(Outcome.Responded.class, run(fn, 0), "every token character is allowed in a name");
    }

    @Test
    void headerLineBreaksAndBadStatusesAreBadValues() {
        int name = asm.str("X-A"), bad = asm.str("a\r\nSet-Cookie: x=1"), badName = asm.str("X\nB"), ok = asm.str("v");
        int value = asm.fn("v").code(c -> c.op(SMALL_INT, 200).op(UNIT).op(CONST, name).op(CONST, bad).op(RESPOND, 1));
        assertEquals(VmError.Kind.BAD_VALUE, failed(run(value, 0)).kind());
        int key = asm.fn("k").code(c -> c.op(SMALL_INT, 200).op(UNIT).op(CONST, badName).op(CONST, ok).op(RESPOND, 1));
        assertEquals(VmError.Kind.BAD_VALUE, failed(run(key, 0)).kind());
        int status = asm.fn("s").code(c -> c.op(SMALL_INT, 42).op(UNIT).op(RESPOND, 0));
        assertEquals(VmError.Kind.BAD_VALUE, failed(run(status, 0)).kind());
    }

    @Test
    void expectRecordsFailuresWithTheirFileAndLineAndGoesOn() {
        int first = asm.str("r.status == 404"), second = asm.str("1 == 1"), got = asm.str("got 200");
        int fn = asm.fn("test").code(c -> c.line(3).op(FALSE).op(EXPECT, first).line(4).op(TRUE).op(EXPECT, second)
                .line(5).op(FALSE).op(EXPECT, first).line(6).op(CONST, got).op(EXPECT_FAILED, first).op(UNIT).op(RET_R));
        var vm = new Vm(asm.program(), host, ROOMY, 0);
        assertSame(Values.Unit.UNIT, returned(vm.invoke(fn)));
        assertEquals(List.of("test.mnk:3: expect r.status == 404", "test.mnk:5: expect r.status == 404",
                "test.mnk:6: expect r.status == 404: got 200"), vm.expectationFailures());
        var clean = new Vm(asm.program(), host, ROOMY, 0);
        assertEquals(List.of(), clean.expectationFailures());
    }

    @Test
    void aRecordedFailureIsChargedToTheMeter() {
        int text = asm.str("a == b"), got = asm.str("x".repeat(1000));
        int fn = asm.fn("test").code(c -> c.line(2).op(CONST, got).op(EXPECT_FAILED, text).op(UNIT).op(RET_R));
        var vm = new Vm(asm.program(), host, ROOMY, 0);
        returned(vm.invoke(fn));
        String message = "test.mnk:2: expect a == b: " + "x".repeat(1000);
        assertEquals(List.of(message), vm.expectationFailures());
        assertEquals(MemoryMeter.REF + MemoryMeter.string(message.length()), vm.memoryUsed());
        var tight = new Vm(asm.program(), host, new VmLimits(vm.memoryUsed() - 1, 1000, 0, 8), 0);
        assertEquals(VmError.Kind.MEMORY_EXHAUSTED, failed(tight.invoke(fn)).kind());
    }

    @Test
    void requestAsksTheHostAndReturnsAResponseRecord() {
        int path = asm.str("/users/1"), ref = asm.typeRef(Type.STRING), body = asm.str("payload");
        host.response = new Response(404, new Response.Body.Text("{\"title\":\"not found\"}"),
                List.of(new Response.Header("Content-Type", "application/json")));
        int fn = asm.fn("test").code(c -> c.op(CONST, path).op(UNIT).op(MAP_NEW, 0).op(REQUEST, HttpMethod.GET.code()).op(RET_R));
        var r = (Values.RecordValue) returned(run(fn, 0));
        assertEquals(-1, r.type());
        assertEquals("Response", r.typeName());
        assertEquals(404L, r.fields()[0]);
        assertEquals(List.of("status", "headers", "body"), List.of(r.fieldNames()));
        assertEquals("application/json", ((Values.MapValue) r.fields()[1]).values()[0]);
        assertEquals("{\"title\":\"not found\"}", r.fields()[2]);
        assertEquals("GET /users/1 () -1", host.calls.getFirst());

        int post = asm.fn("post").code(c -> c.op(CONST, path).op(CONST, body).op(JSON, ref).op(MAP_NEW, 0)
                .op(REQUEST, HttpMethod.POST.code()).op(GET_FIELD, 0, 0).op(RET_R));
        host.response = new Response(201, new Response.Body.None(), List.of());
        assertEquals(201L, returned(run(post, 0)));
        assertEquals("POST /users/1 payload " + ref, host.calls.getLast());

        // issue 15: a text body and the test's headers reach the host as written
        int name = asm.str("Authorization"), token = asm.str("Bearer k");
        int put = asm.fn("put").code(c -> c.op(CONST, path).op(CONST, body).op(TEXT).op(CONST, name).op(CONST, token)
                .op(MAP_NEW, 1).op(REQUEST, HttpMethod.PUT.code()).op(GET_FIELD, 0, 0).op(RET_R));
        assertEquals(201L, returned(run(put, 0)));
        assertEquals("PUT /users/1 {\"Authorization\": \"Bearer k\"} payload -1", host.calls.getLast());

        host.failWith = "no test server";
        assertEquals(VmError.Kind.EFFECT_FAILED, failed(run(fn, 0)).kind());
    }
}
