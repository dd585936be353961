package dev.manaknight.runtime.journal;

import dev.manaknight.runtime.effects.CommitFault;
import dev.manaknight.runtime.effects.EffectCall;
import java.util.List;

/**
 * One run of a request's handler as the journal keeps it: its effect calls in order, how its
 * database failures were classed, which decide whether it ran again (a conflict) or was answered
 * 503 (the database unavailable), and how its commit failed, if it did. A request has one run,
 * or more when its transaction lost races.
 *
 * @param commit how the run's commit failed, or null (it committed, rolled back, or had none)
 */
public record Attempt(List<EffectCall> calls, boolean conflicted, boolean unavailable, CommitFault commit) {
    public Attempt {
        calls = List.copyOf(calls);
    }

    public Attempt(List<EffectCall> calls, boolean conflicted, boolean unavailable) {
        this(calls, conflicted, unavailable, null);
    }

    /** The same run, its commit failed so. */
    public Attempt withCommit(CommitFault fault) { return new Attempt(calls, conflicted, unavailable, fault); }
}
