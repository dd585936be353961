package dev.manaknight.lang.bytecode;

/**
 * A static upper bound on the instructions one call of each function executes, callees included.
 *
 * <p>The format makes this cheap to know: the only backward jump is {@code LOOP} (the verifier
 * refuses any other), and {@code CALL} names its callee. So a function without {@code LOOP} runs
 * each of its instructions at most once per call, and its bound is its instruction count plus,
 * for each {@code CALL}, the callee's bound. A function is unbounded when it loops, takes part in
 * recursion, performs an {@code EFFECT} (its time is the world's, not the code's) or a test-only
 * {@code REQUEST}.
 *
 * <p>Builtins count as one instruction: their own work grows with their operands (a string, a
 * list), which only the request's input and the memory meter can make large, and they charge fuel
 * for it at run time. The bound is about control flow; fuel, memory and CPU limits still apply.
 *
 * <p>The runtime uses it to run short, pure handlers where the request arrived instead of handing
 * them to a worker thread (see runtime.md, "Inline handlers"); the disassembler prints it.
 */
public final class StepBound {
    /** Marks a function with no bound. */
    public static final long UNBOUNDED = -1;
    /** Bounds saturate here: a bound this large is as good as none for any use of it. */
    static final long CAP = 1L << 40;

    private static final byte UNSEEN = 0, ACTIVE = 1, DONE = 2;

    private final Module module;
    private final long[] bound;
    private final byte[] state;
    // The explicit DFS stack, one entry per function being scanned: which, where, the bound so far.
    private final int[] fn;
    private final int[] pcs;
    private final long[] sum;

    private StepBound(Module module) {
        this.module = module;
        int n = module.functions().size();
        this.bound = new long[n];
        this.state = new byte[n];
        this.fn = new int[n];
        this.pcs = new int[n];
        this.sum = new long[n];
    }

    /** One bound per function, indexed like {@link Module#functions()}; {@link #UNBOUNDED} when none. */
    public static long[] of(Module module) {
        var s = new StepBound(module);
        for (int f = 0; f < s.bound.length; f++) s.visit(f);
        return s.bound;
    }

    /**
     * Depth-first over the call graph with an explicit stack (a chain of calls may be as long as
     * the function table, deeper than a Java stack should go). Each stack entry is a function part
     * way through its code: where its scan stands and the bound so far.
     */
    private void visit(int root) {
        if (state[root] == DONE) return;
        int top = 0;
        pcs[0] = 0;
        sum[0] = 0;
        fn[0] = root;
        state[root] = ACTIVE;
        while (top >= 0) {
            int f = fn[top];
            long result = scan(f, top);
            if (result == PENDING) { // scan stopped at a CALL to an unseen callee: descend
                int callee = calleeAt(f, pcs[top]);
                fn[++top] = callee;
                pcs[top] = 0;
                sum[top] = 0;
                state[callee] = ACTIVE;
                continue;
            }
            bound[f] = result;
            state[f] = DONE;
            top--;
        }
    }

    /** Returned by {@link #scan} when it must first know an unseen callee's bound. */
    private static final long PENDING = -2;

    /**
     * Continues the scan of `f` from `pcs[top]` with the bound so far in `sum[top]`; stops at the
     * end (the bound), at what makes `f` unbounded, or at a CALL to an unseen callee (PENDING,
     * with `pcs[top]` on that CALL, so the scan resumes there once the callee is done).
     */
    private long scan(int f, int top) {
        byte[] code = module.functions().get(f).code();
        int pc = pcs[top];
        long total = sum[top];
        while (pc < code.length) {
            Opcode op = Opcode.of(code[pc] & 0xFF);
            if (op == null || pc + op.size > code.length) return UNBOUNDED;
            switch (op) {
                case LOOP, EFFECT, REQUEST -> { return UNBOUNDED; }
                case CALL -> {
                    int callee = calleeAt(f, pc);
                    if (callee < 0 || callee >= bound.length) return UNBOUNDED; // the verifier refuses it; stay total
                    switch (state[callee]) {
                        case UNSEEN -> {
                            pcs[top] = pc;
                            sum[top] = total;
                            return PENDING;
                        }
                        case ACTIVE -> { return UNBOUNDED; } // on the stack: recursion
                        default -> {
                            if (bound[callee] == UNBOUNDED) return UNBOUNDED;
                            total = Math.min(CAP, total + bound[callee]);
                        }
                    }
                }
                default -> { }
            }
            total = Math.min(CAP, total + 1);
            pc += op.size;
        }
        return total;
    }

    private int calleeAt(int f, int pc) {
        byte[] code = module.functions().get(f).code();
        return (code[pc + 1] & 0xFF) << 8 | code[pc + 2] & 0xFF;
    }

}
