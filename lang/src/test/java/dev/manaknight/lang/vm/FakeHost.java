package dev.manaknight.lang.vm;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.model.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Test host: answers effects from a function, records every call, optionally fails or sleeps. */
final class FakeHost implements Host {
    final List<String> calls = new ArrayList<>();
    BiFunction<EffectOp, Object[], Object> answer = (op, args) -> Values.Unit.UNIT;
    String failWith;
    long sleepMillis;
    Response response = new Response(200, new Response.Body.Text("hi"), List.of());
    /** What `Json.parse` answers: the runtime's reader is not here, so a test says what it read. */
    java.util.function.Function<String, Object> json = text -> new Values.Err("no JSON reader in this test");
    /** What `T.fromJson` answers, likewise. */
    java.util.function.Function<String, Object> decoded = text -> new Values.Err("no JSON decoder in this test");

    @Override public Object effect(EffectOp op, Object[] args) throws EffectFailure {
        calls.add(op.qualifiedName() + java.util.Arrays.toString(args));
        sleep();
        if (failWith != null) throw new EffectFailure("db", failWith);
        return answer.apply(op, args);
    }

    @Override public Response request(HttpMethod method, String path, Values.MapValue headers, Object body, int bodyTypeRef)
            throws EffectFailure {
        calls.add(method + " " + path + (headers.size() == 0 ? "" : " " + Values.display(headers)) + " "
                + Values.display(body) + " " + bodyTypeRef);
        if (failWith != null) throw new EffectFailure("request", failWith);
        return response;
    }

    @Override public Object parseJson(String text) {
        calls.add("parseJson " + text.length());
        return json.apply(text);
    }

    @Override public Object decodeJson(String text, dev.manaknight.lang.model.Type type, dev.manaknight.lang.bytecode.Module module) {
        calls.add("decodeJson " + type + " " + text.length());
        return decoded.apply(text);
    }

    private void sleep() {
        if (sleepMillis == 0) return;
        try {
            Thread.sleep(sleepMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
