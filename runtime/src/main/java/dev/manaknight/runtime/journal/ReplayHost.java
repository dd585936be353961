package dev.manaknight.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.runtime.effects.CommitFault;
import dev.manaknight.runtime.effects.EffectCall;
import dev.manaknight.runtime.effects.RequestHost;
import dev.manaknight.runtime.effects.Transaction;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slf4j.helpers.NOPLogger;

/**
 * The host of one replayed run: answers each effect call with the result (or failure) the record
 * holds for it, after checking that the program asks for the same operation with the same
 * arguments, in the same order. The first call that differs stops the run (an effect failure of
 * kind `replay`) and is kept as the {@link #divergence()}; nothing reaches a database, a clock or
 * the network.
 */
final class ReplayHost extends RequestHost {
    /** Where a run left the record: the call's index, what the record holds there (null: nothing), what the program asked. */
    record Divergence(int index, EffectCall expected, String actual) {}

    private static final JsonFactory JSON = new JsonFactory();

    private final Attempt attempt;
    private final boolean transactional;
    private int next;
    private boolean outside;
    private Divergence divergence;

    /** @param transactional the app has a database: each run had a transaction to commit */
    ReplayHost(String requestId, int granted, Attempt attempt, boolean transactional) {
        super(requestId, granted, null, null, null, NOPLogger.NOP_LOGGER, () -> 0L, new Random(0));
        this.attempt = attempt;
        this.transactional = transactional;
    }

    @Override public Object effect(EffectOp op, Object[] args) throws EffectFailure {
        List<EffectCall> calls = attempt.calls();
        EffectCall expected = next < calls.size() ? calls.get(next) : null;
        if (expected == null || !expected.op().equals(op.qualifiedName()) || !same(expected.args(), Arrays.asList(args))) {
            divergence = new Divergence(next, expected, RecordText.call(op.qualifiedName(), Arrays.asList(args)));
            throw new EffectFailure("replay", "the program's effect call #" + (next + 1) + " differs from the record");
        }
        next++;
        outside |= !staysInside(op.capability());
        if (expected.failure() == null) return expected.result();
        String f = expected.failure();
        int colon = f.indexOf(": ");
        throw colon < 0 ? new EffectFailure(f, "") : new EffectFailure(f.substring(0, colon), f.substring(colon + 2));
    }

    /** The same values, kind for kind (a Decimal's scale included), as their journal encodings say. */
    private static boolean same(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!encoded(a.get(i)).equals(encoded(b.get(i)))) return false;
        return true;
    }

    private static String encoded(Object v) {
        var w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            ValueCodec.write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The commit ends as the record says: committed, or failed the recorded way. */
    @Override public CommitFault commit(Transaction tx) { return attempt.commit(); }

    @Override public boolean transactional(Transaction tx) { return transactional; }

    /** As the recorded run: an outbound call makes a conflicted run not run again. */
    @Override public boolean repeatable() { return !outside; }

    @Override public boolean conflicted() { return attempt.conflicted(); }

    @Override public boolean databaseUnavailable() { return attempt.unavailable(); }

    @Override public int callCount() { return next; }

    /** The first call that differed from the record, or null. */
    Divergence divergence() { return divergence; }

    /** Calls of the record the run did not make (it answered with fewer). */
    int unused() { return attempt.calls().size() - next; }
}
