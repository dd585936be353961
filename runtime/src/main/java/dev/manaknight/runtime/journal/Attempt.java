package dev.manaknight.runtime.journal;

import dev.manaknight.runtime.effects.EffectCall;
import java.util.List;

/**
 * One run of a request's handler as the journal keeps it: its effect calls in order, and how its
 * database failures were classed, which decide whether it ran again (a conflict) or was answered
 * 503 (the database unavailable). A request has one, or more when its transaction lost races.
 */
public record Attempt(List<EffectCall> calls, boolean conflicted, boolean unavailable) {
    public Attempt {
        calls = List.copyOf(calls);
    }
}
