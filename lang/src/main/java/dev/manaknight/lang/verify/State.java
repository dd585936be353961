package dev.manaknight.lang.verify;

import java.util.Arrays;
import java.util.BitSet;

/**
 * What the verifier knows before one instruction: the type of every operand-stack slot and of
 * every local. A local is either a type, unassigned (null), or in conflict (null and marked:
 * paths stored values of types that have no join); only a local with a type can be loaded.
 */
final class State {
    private static final int MAX_STACK_SHOWN = 8;

    final VType[] stack;
    int height;
    final VType[] locals;
    /** Locals that are null because paths disagree, not because nothing was stored. */
    final BitSet conflicts;

    State(int capacity, int locals) {
        this(new VType[capacity], 0, new VType[locals], new BitSet());
    }

    private State(VType[] stack, int height, VType[] locals, BitSet conflicts) {
        this.stack = stack;
        this.height = height;
        this.locals = locals;
        this.conflicts = conflicts;
    }

    State copy() {
        return new State(stack.clone(), height, locals.clone(), (BitSet) conflicts.clone());
    }

    /** The value `depth` slots below the top (1 is the top). */
    VType peek(int depth) {
        return stack[height - depth];
    }

    void store(int slot, VType t) {
        locals[slot] = t;
        conflicts.clear(slot);
    }

    /**
     * Joins another path's state into this one. Stacks join slot by slot and must have the same
     * height; locals join to their join, to a conflict when there is none, and to unassigned when
     * either path did not assign them. Returns null when nothing changed, this state when
     * something did, or a description of the stacks when they cannot be joined.
     */
    Object merge(State other) {
        if (height != other.height) return describe() + " and " + other.describe();
        boolean changed = false;
        for (int i = 0; i < height; i++) {
            VType j = Lattice.join(stack[i], other.stack[i]);
            if (j == null) return describe() + " and " + other.describe();
            if (!j.equals(stack[i])) {
                stack[i] = j;
                changed = true;
            }
        }
        for (int i = 0; i < locals.length; i++) {
            VType a = locals[i], b = other.locals[i];
            if (a == null) {
                // unassigned stays; a conflict becomes unassigned when the other path did not assign
                if (conflicts.get(i) && b == null && !other.conflicts.get(i)) {
                    conflicts.clear(i);
                    changed = true;
                }
                continue;
            }
            if (b == null) {
                locals[i] = null;
                if (other.conflicts.get(i)) conflicts.set(i);
                changed = true;
                continue;
            }
            VType j = Lattice.join(a, b);
            if (j == null) {
                locals[i] = null;
                conflicts.set(i);
                changed = true;
            } else if (!j.equals(a)) {
                locals[i] = j;
                changed = true;
            }
        }
        return changed ? this : null;
    }

    /** `[Int String]`, at most the top {@value #MAX_STACK_SHOWN} slots. */
    String describe() {
        if (height == 0) return "[]";
        var sb = new StringBuilder("[");
        int from = Math.max(0, height - MAX_STACK_SHOWN);
        if (from > 0) sb.append("… ");
        for (int i = from; i < height; i++) sb.append(i > from ? " " : "").append(stack[i]);
        return sb.append(']').toString();
    }

    @Override public String toString() {
        return describe() + " locals " + Arrays.toString(locals);
    }
}
