package dev.manaknight.lang.vm;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One request's virtual machine: a value stack in two lanes, call frames, a fuel budget and a
 * memory meter. Create one per request (cheap), {@link #invoke} once, drop it. Not thread-safe,
 * except {@link #cancel()} and {@link #stackNow()}, which any thread may call. See vm.md for the design.
 */
public final class Vm {
    /**
     * Stack slots a run gets without charge: enough for typical handlers. They are allocated as
     * needed (the entry function's frame first, often a handful of slots), never up front.
     */
    private static final int INITIAL_SLOTS = 32;
    /** Frames a run gets without charge, allocated at its first CALL: most requests call only a few functions deep. */
    private static final int INITIAL_FRAMES = 8;
    private static final long[] NO_PRIMS = new long[0];
    private static final Object[] NO_REFS = new Object[0];
    private static final int[] NO_FRAMES = new int[0];

    private final Program program;
    private final Host host;
    private final int granted;
    private final int maxFrames;
    private final Budget budget;
    private final MemoryMeter meter;

    /** The two lanes of the value stack: slot i is p[i] (P kind) or r[i] (R kind). */
    private long[] p = NO_PRIMS;
    private Object[] r = NO_REFS;
    /** Saved caller frames, 0..depth-1: function, pc after its CALL, base slot. */
    private int[] frameFn = NO_FRAMES;
    private int[] frameReturn = NO_FRAMES;
    private int[] frameBase = NO_FRAMES;
    private List<String> expectationFailures;
    /** Bytes the request holds outside the VM ({@link #chargeHeld}), charged with the arguments when the run starts. */
    private long held;
    /** The inputs did not fit the memory limit: the run was refused before its first instruction. */
    private boolean inputsRefused;

    // Stack snapshots for another thread (the slow log), see stackNow(). While the VM waits in a
    // host call its frames stand still and are read directly, under a sequence number (odd: in a
    // host call); while it computes, it publishes its stack itself at the next tick it reaches
    // after being asked.
    private volatile int hostCalls;
    private int hostFn, hostPc, hostDepth;
    private volatile boolean stackWanted;
    private volatile List<VmError.StackFrame> publishedStack;

    /**
     * @param granted bit set of {@link dev.manaknight.lang.model.Capability} this run may use
     */
    public Vm(Program program, Host host, VmLimits limits, int granted) {
        this.program = program;
        this.host = host;
        this.granted = granted;
        this.maxFrames = limits.maxFrames();
        this.budget = new Budget(limits.fuel(), limits.cpuNanos());
        this.meter = new MemoryMeter(limits.memoryBytes());
    }

    /**
     * Runs function `function` with boxed arguments (one per parameter) to its end. A P-kind
     * argument may be a Long, a Boolean or a Double. A P-kind result comes back in
     * {@link Outcome.Returned} as a Long holding the raw slot (an Int; a Bool as 0/1; a Float's
     * IEEE bits: use {@link Double#longBitsToDouble}). Never throws for anything the program does;
     * throws IllegalArgumentException when the call itself is malformed.
     */
    public Outcome invoke(int function, Object... args) {
        if (function < 0 || function >= program.functions.length)
            throw new IllegalArgumentException("no function " + function);
        boolean[] isRef = program.paramIsRef[function];
        if (args.length != isRef.length)
            throw new IllegalArgumentException(program.functions[function].name() + " takes " + isRef.length
                    + " arguments, got " + args.length);
        for (int i = 0; i < args.length; i++) if (!isRef[i]) unboxArgument(args[i]); // malformed calls throw here
        budget.start();
        try {
            Outcome refused = chargeInputs(function, args);
            return refused != null ? refused : run(function, args);
        } finally {
            budget.stop();
        }
    }

    /**
     * Charges `bytes` that the request holds outside the VM while it runs (the runtime's copy of
     * the raw request body) to this run's memory meter. They are charged together with the
     * arguments when {@link #invoke} starts, so call this first; when they do not fit, invoke
     * fails with {@link VmError.Kind#MEMORY_EXHAUSTED} before running any instruction.
     *
     * @throws IllegalArgumentException when bytes is negative
     */
    public void chargeHeld(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative byte count " + bytes);
        held = sum(held, bytes);
    }

    /**
     * Charges the request's inputs: the held bytes and a deep estimate of every reference
     * argument (a decoded body, a String), as if the VM had built them. Unboxed arguments live in
     * the stack's free slots. Returns the failure when they do not fit, else null.
     */
    private Outcome chargeInputs(int function, Object[] args) {
        boolean[] isRef = program.paramIsRef[function];
        long bytes = held;
        for (int i = 0; i < args.length; i++) if (isRef[i]) bytes = sum(bytes, MemoryMeter.deep(args[i]));
        try {
            meter.charge(bytes);
            return null;
        } catch (Trap t) {
            inputsRefused = true;
            String message = t.getMessage() + " by the request's inputs (" + bytes + " bytes)";
            return new Outcome.Failed(new VmError(t.kind(), message, List.of(frame(function, 0))));
        }
    }

    private static long sum(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /**
     * True when {@link #invoke} refused to run because the request's inputs ({@link #chargeHeld}
     * and the arguments) alone pass the memory limit: the request was too large, not the handler wrong.
     */
    public boolean inputsRefused() { return inputsRefused; }

    /** Asks a running VM to stop with {@link VmError.Kind#TIMEOUT}; safe from any thread. */
    public void cancel() { budget.cancel(); }

    /** Fuel charged so far. */
    public long fuelUsed() { return budget.used(); }

    /** Bytes charged to the memory meter so far. */
    public long memoryUsed() { return meter.used(); }

    /**
     * CPU time of the finished run, host calls excluded, measured from its first fuel tick: a run
     * too short to reach one (about a thousand loop turns or calls) reports 0.
     */
    public long cpuNanos() { return budget.cpuUsed(); }

    /**
     * The Manaknight stack of this running VM, innermost first, for another thread (the slow
     * log): at once when the VM waits in a host call (a query), else null, and the VM publishes
     * its stack at its next fuel tick; a later call returns that. Safe from any thread, never
     * blocks; a VM that has finished or computes without ticking keeps answering null.
     */
    public List<VmError.StackFrame> stackNow() {
        int seq = hostCalls;
        if ((seq & 1) == 1) {
            try {
                List<VmError.StackFrame> frames = trace(hostFn, hostPc, hostDepth);
                if (hostCalls == seq) return frames; // the frames did not move while we read them
            } catch (RuntimeException raced) {
                // the call returned and the frames moved under us: ask the VM instead
            }
        }
        List<VmError.StackFrame> published = publishedStack;
        if (published != null) return published;
        stackWanted = true;
        return null;
    }

    /** At a tick, when asked: publishes the stack for {@link #stackNow}. */
    private void publishStack(int fn, int pc, int depth) {
        stackWanted = false;
        publishedStack = trace(fn, pc, depth);
    }

    /**
     * Every `expect` that failed so far, in order: `file:line: expect <source>`, and for a failed
     * comparison what it found (`t.mnk:12: expect r.status == 201: got 200`).
     */
    public List<String> expectationFailures() {
        return expectationFailures == null ? List.of() : List.copyOf(expectationFailures);
    }

    /** The interpreter: one loop, its hot state in locals, written back only where it can throw. */
    private Outcome run(int entry, Object[] args) {
        final Program prog = program;
        final long[] primConsts = prog.primConsts;
        final Object[] refConsts = prog.refConsts;
        int fn = entry;
        byte[] code = prog.code[fn];
        int pc = 0;
        int base = 0;
        int depth = 0;
        int sp;
        long[] p;
        Object[] r;
        try {
            ensureStack(prog.frameSize[fn]);
            p = this.p;
            r = this.r;
            boolean[] isRef = prog.paramIsRef[fn];
            for (int i = 0; i < args.length; i++) {
                if (isRef[i]) r[i] = args[i];
                else p[i] = unboxArgument(args[i]);
            }
            sp = prog.locals[fn];
            clearSlots(args.length, sp);

            while (true) {
                switch (code[pc++] & 0xFF) {
                    case Op.NOP -> { }
                    case Op.CONST -> { r[sp++] = refConsts[u16(code, pc)]; pc += 2; }
                    case Op.CONST_INT, Op.CONST_FLOAT -> { p[sp++] = primConsts[u16(code, pc)]; pc += 2; }
                    case Op.CONFIG_P -> { p[sp++] = (Long) setting(prog, u16(code, pc)); pc += 2; }
                    case Op.CONFIG_R -> { r[sp++] = setting(prog, u16(code, pc)); pc += 2; }
                    case Op.SMALL_INT -> { p[sp++] = (short) u16(code, pc); pc += 2; }
                    case Op.TRUE -> p[sp++] = 1;
                    case Op.FALSE -> p[sp++] = 0;
                    case Op.UNIT -> r[sp++] = Values.Unit.UNIT;
                    case Op.NONE -> r[sp++] = Values.None.NONE;
                    case Op.LOAD_P -> p[sp++] = p[base + (code[pc++] & 0xFF)];
                    case Op.LOAD_R -> r[sp++] = r[base + (code[pc++] & 0xFF)];
                    case Op.STORE_P -> p[base + (code[pc++] & 0xFF)] = p[--sp];
                    case Op.STORE_R -> r[base + (code[pc++] & 0xFF)] = r[--sp];
                    case Op.POP_P -> sp--;
                    case Op.POP_R -> r[--sp] = null;

                    case Op.ADD_INT -> { sp--; p[sp - 1] = IntMath.add(p[sp - 1], p[sp]); }
                    case Op.SUB_INT -> { sp--; p[sp - 1] = IntMath.sub(p[sp - 1], p[sp]); }
                    case Op.MUL_INT -> { sp--; p[sp - 1] = IntMath.mul(p[sp - 1], p[sp]); }
                    case Op.DIV_INT -> { sp--; p[sp - 1] = IntMath.div(p[sp - 1], p[sp]); }
                    case Op.MOD_INT -> { sp--; p[sp - 1] = IntMath.mod(p[sp - 1], p[sp]); }
                    case Op.NEG_INT -> p[sp - 1] = IntMath.neg(p[sp - 1]);
                    case Op.EQ_INT -> { sp--; p[sp - 1] = p[sp - 1] == p[sp] ? 1 : 0; }
                    case Op.NE_INT -> { sp--; p[sp - 1] = p[sp - 1] != p[sp] ? 1 : 0; }
                    case Op.LT_INT -> { sp--; p[sp - 1] = p[sp - 1] < p[sp] ? 1 : 0; }
                    case Op.LE_INT -> { sp--; p[sp - 1] = p[sp - 1] <= p[sp] ? 1 : 0; }
                    case Op.GT_INT -> { sp--; p[sp - 1] = p[sp - 1] > p[sp] ? 1 : 0; }
                    case Op.GE_INT -> { sp--; p[sp - 1] = p[sp - 1] >= p[sp] ? 1 : 0; }

                    case Op.ADD_FLT -> { sp--; p[sp - 1] = bits(f(p[sp - 1]) + f(p[sp])); }
                    case Op.SUB_FLT -> { sp--; p[sp - 1] = bits(f(p[sp - 1]) - f(p[sp])); }
                    case Op.MUL_FLT -> { sp--; p[sp - 1] = bits(f(p[sp - 1]) * f(p[sp])); }
                    case Op.DIV_FLT -> { sp--; p[sp - 1] = bits(f(p[sp - 1]) / f(p[sp])); }
                    case Op.MOD_FLT -> { sp--; p[sp - 1] = bits(f(p[sp - 1]) % f(p[sp])); }
                    case Op.NEG_FLT -> p[sp - 1] = bits(-f(p[sp - 1]));
                    case Op.EQ_FLT -> { sp--; p[sp - 1] = f(p[sp - 1]) == f(p[sp]) ? 1 : 0; }
                    case Op.NE_FLT -> { sp--; p[sp - 1] = f(p[sp - 1]) != f(p[sp]) ? 1 : 0; }
                    case Op.LT_FLT -> { sp--; p[sp - 1] = f(p[sp - 1]) < f(p[sp]) ? 1 : 0; }
                    case Op.LE_FLT -> { sp--; p[sp - 1] = f(p[sp - 1]) <= f(p[sp]) ? 1 : 0; }
                    case Op.GT_FLT -> { sp--; p[sp - 1] = f(p[sp - 1]) > f(p[sp]) ? 1 : 0; }
                    case Op.GE_FLT -> { sp--; p[sp - 1] = f(p[sp - 1]) >= f(p[sp]) ? 1 : 0; }

                    case Op.ADD_DEC -> { sp--; r[sp - 1] = Decimals.add(r[sp - 1], r[sp], budget, meter); }
                    case Op.SUB_DEC -> { sp--; r[sp - 1] = Decimals.sub(r[sp - 1], r[sp], budget, meter); }
                    case Op.MUL_DEC -> { sp--; r[sp - 1] = Decimals.mul(r[sp - 1], r[sp], budget, meter); }
                    case Op.DIV_DEC -> { sp--; r[sp - 1] = Decimals.div(r[sp - 1], r[sp], budget, meter); }
                    case Op.MOD_DEC -> { sp--; r[sp - 1] = Decimals.mod(r[sp - 1], r[sp], budget, meter); }
                    case Op.NEG_DEC -> r[sp - 1] = Decimals.neg(r[sp - 1], budget, meter);
                    case Op.CMP_DEC -> { sp--; p[sp - 1] = Decimals.compare(r[sp - 1], r[sp], budget); }
                    case Op.CMP_STR -> { sp--; p[sp - 1] = Text.compare((String) r[sp - 1], (String) r[sp], budget); }
                    case Op.LT0 -> p[sp - 1] = p[sp - 1] < 0 ? 1 : 0;
                    case Op.LE0 -> p[sp - 1] = p[sp - 1] <= 0 ? 1 : 0;
                    case Op.GT0 -> p[sp - 1] = p[sp - 1] > 0 ? 1 : 0;
                    case Op.GE0 -> p[sp - 1] = p[sp - 1] >= 0 ? 1 : 0;
                    case Op.EQ_R -> { sp--; p[sp - 1] = Walk.equal(r[sp - 1], r[sp], budget) ? 1 : 0; }
                    case Op.NE_R -> { sp--; p[sp - 1] = Walk.equal(r[sp - 1], r[sp], budget) ? 0 : 1; }
                    case Op.NOT -> p[sp - 1] = p[sp - 1] == 0 ? 1 : 0;

                    case Op.CONCAT -> {
                        int n = code[pc++] & 0xFF;
                        sp -= n;
                        r[sp] = Text.concat(r, sp, n, budget, meter);
                        sp++;
                    }
                    case Op.STR_INT -> r[sp - 1] = Text.charged(Long.toString(p[sp - 1]), budget, meter);
                    case Op.STR_FLT -> r[sp - 1] = Text.charged(Values.floatText(f(p[sp - 1])), budget, meter);
                    case Op.STR_BOOL -> r[sp - 1] = p[sp - 1] != 0 ? "true" : "false";
                    case Op.STR_ANY -> r[sp - 1] = Walk.display(r[sp - 1], budget, meter);
                    case Op.BOX_INT -> { meter.charge(MemoryMeter.BOX); r[sp - 1] = p[sp - 1]; }
                    case Op.BOX_FLT -> { meter.charge(MemoryMeter.BOX); r[sp - 1] = f(p[sp - 1]); }
                    case Op.BOX_BOOL -> r[sp - 1] = p[sp - 1] != 0 ? Boolean.TRUE : Boolean.FALSE;
                    case Op.UNBOX_INT -> p[sp - 1] = (Long) r[sp - 1];
                    case Op.UNBOX_FLT -> p[sp - 1] = bits((Double) r[sp - 1]);
                    case Op.UNBOX_BOOL -> p[sp - 1] = (Boolean) r[sp - 1] ? 1 : 0;

                    case Op.LIST_NEW -> {
                        int n = u16(code, pc);
                        pc += 2;
                        sp -= n;
                        r[sp] = Containers.newList(r, sp, n, meter);
                        sp++;
                    }
                    case Op.LIST_CONCAT -> { sp--; r[sp - 1] = Containers.concat(r[sp - 1], r[sp], budget, meter); }
                    case Op.LIST_LEN -> p[sp - 1] = ((Values.ListValue) r[sp - 1]).size();
                    case Op.LIST_INDEX -> { sp--; r[sp - 1] = Containers.index(r[sp - 1], p[sp]); }
                    case Op.MAP_NEW -> {
                        int n = u16(code, pc);
                        pc += 2;
                        sp -= 2 * n;
                        r[sp] = Containers.newMap(r, sp, n, budget, meter);
                        sp++;
                    }
                    case Op.BUILDER_NEW -> { pc += 2; meter.charge(ListBuilder.initialCost()); r[sp++] = new ListBuilder(); }
                    case Op.BUILDER_ADD -> { sp -= 2; ((ListBuilder) r[sp]).add(r[sp + 1], meter); }
                    case Op.BUILDER_LIST -> r[sp - 1] = ((ListBuilder) r[sp - 1]).toList(meter);
                    case Op.RECORD_NEW -> {
                        int t = u16(code, pc);
                        pc += 2;
                        String[] names = prog.fieldNames[t];
                        sp -= names.length;
                        meter.charge(MemoryMeter.record(names.length));
                        r[sp] = new Values.RecordValue(t, prog.typeNames[t], names, Arrays.copyOfRange(r, sp, sp + names.length));
                        sp++;
                    }
                    case Op.GET_FIELD -> {
                        r[sp - 1] = ((Values.RecordValue) r[sp - 1]).fields()[code[pc + 2] & 0xFF];
                        pc += 3;
                    }
                    case Op.WITH_FIELD -> {
                        int f = code[pc + 2] & 0xFF;
                        pc += 3;
                        sp--;
                        r[sp - 1] = Containers.withField((Values.RecordValue) r[sp - 1], f, r[sp], meter);
                    }
                    case Op.ENUM_NEW -> {
                        int t = u16(code, pc);
                        int v = code[pc + 2] & 0xFF;
                        pc += 3;
                        int n = prog.variantArity[t][v];
                        if (n == 0) {
                            r[sp++] = prog.plainVariants[t][v];
                        } else {
                            sp -= n;
                            meter.charge(MemoryMeter.record(n));
                            r[sp] = new Values.EnumValue(t, v, prog.variantNames[t][v], Arrays.copyOfRange(r, sp, sp + n));
                            sp++;
                        }
                    }
                    case Op.VARIANT -> p[sp - 1] = Containers.variant(r[sp - 1]);
                    case Op.PAYLOAD -> {
                        r[sp - 1] = Containers.payload(r[sp - 1], code[pc] & 0xFF, code[pc + 1] & 0xFF);
                        pc += 2;
                    }
                    case Op.SOME -> { meter.charge(MemoryMeter.BOX); r[sp - 1] = new Values.Some(r[sp - 1]); }
                    case Op.OK -> { meter.charge(MemoryMeter.BOX); r[sp - 1] = new Values.Ok(r[sp - 1]); }
                    case Op.ERR -> { meter.charge(MemoryMeter.BOX); r[sp - 1] = new Values.Err(r[sp - 1]); }

                    case Op.JUMP -> pc = u16(code, pc);
                    case Op.JUMP_IF_FALSE -> pc = p[--sp] == 0 ? u16(code, pc) : pc + 2;
                    case Op.JUMP_IF_TRUE -> pc = p[--sp] != 0 ? u16(code, pc) : pc + 2;
                    case Op.LOOP -> {
                        if (budget.charge(1) && stackWanted) publishStack(fn, pc, depth);
                        pc = u16(code, pc);
                    }
                    case Op.CALL -> {
                        int callee = u16(code, pc);
                        pc += 2;
                        if (budget.charge(1) && stackWanted) publishStack(fn, pc, depth);
                        if (depth + 1 >= maxFrames) throw new Trap.StackOverflow(maxFrames);
                        int calleeBase = sp - prog.paramCount[callee];
                        if (calleeBase + prog.frameSize[callee] > p.length) {
                            ensureStack(calleeBase + prog.frameSize[callee]);
                            p = this.p;
                            r = this.r;
                        }
                        if (depth == frameFn.length) growFrames();
                        frameFn[depth] = fn;
                        frameReturn[depth] = pc;
                        frameBase[depth] = base;
                        depth++;
                        fn = callee;
                        code = prog.code[fn];
                        base = calleeBase;
                        pc = 0;
                        int top = base + prog.locals[fn];
                        clearSlots(sp, top);
                        sp = top;
                    }
                    case Op.RET_P -> {
                        long v = p[sp - 1];
                        if (depth == 0) return new Outcome.Returned(v);
                        p[base] = v;
                        sp = base + 1;
                        depth--;
                        fn = frameFn[depth];
                        pc = frameReturn[depth];
                        base = frameBase[depth];
                        code = prog.code[fn];
                    }
                    case Op.RET_R -> {
                        Object v = r[sp - 1];
                        if (depth == 0) return new Outcome.Returned(v);
                        r[base] = v;
                        sp = base + 1;
                        depth--;
                        fn = frameFn[depth];
                        pc = frameReturn[depth];
                        base = frameBase[depth];
                        code = prog.code[fn];
                    }
                    case Op.BUILTIN -> {
                        int id = u16(code, pc);
                        pc += 2;
                        if (id == JSON_PARSE) r[sp - 1] = parseJson((String) r[sp - 1]);
                        else sp = Builtins.run(id, p, r, sp, budget, meter);
                    }
                    case Op.TO_JSON -> {
                        r[sp - 1] = JsonValues.from(prog.typeRefs[u16(code, pc)], r[sp - 1], prog, budget, meter);
                        pc += 2;
                    }
                    case Op.FROM_JSON -> {
                        r[sp - 1] = decodeJson(prog.typeRefs[u16(code, pc)], r[sp - 1]);
                        pc += 2;
                    }
                    case Op.EFFECT -> {
                        EffectOp op = prog.effects[u16(code, pc)];
                        pc += 2;
                        hostFn = fn;
                        hostPc = pc;
                        hostDepth = depth;
                        sp = effect(op, sp);
                    }
                    case Op.JSON -> {
                        Walk.leave(r[sp - 1], budget, meter);
                        r[sp - 1] = new Response.Body.Json(prog.typeRefs[u16(code, pc)], r[sp - 1]);
                        pc += 2;
                    }
                    case Op.TEXT -> {
                        meter.charge(MemoryMeter.BOX);
                        r[sp - 1] = new Response.Body.Text((String) r[sp - 1]);
                    }
                    case Op.RESPOND -> { return new Outcome.Responded(respond(code[pc] & 0xFF, sp, false)); }
                    case Op.RESPOND_KEEP -> { return new Outcome.Responded(respond(code[pc] & 0xFF, sp, true)); }
                    case Op.FAIL -> throw new Trap.Fault(VmError.Kind.EXPLICIT, (String) refConsts[u16(code, pc)]);
                    case Op.EXPECT -> {
                        if (p[--sp] == 0) expectationFailed(fn, pc, (String) refConsts[u16(code, pc)], null);
                        pc += 2;
                    }
                    case Op.EXPECT_FAILED -> {
                        expectationFailed(fn, pc, (String) refConsts[u16(code, pc)], (String) r[--sp]);
                        r[sp] = null;
                        pc += 2;
                    }
                    case Op.REQUEST -> {
                        int method = code[pc++] & 0xFF;
                        sp -= 2;
                        r[sp - 1] = request(method, r[sp - 1], r[sp], (Values.MapValue) r[sp + 1]);
                        r[sp] = null;
                        r[sp + 1] = null;
                    }
                    default -> throw new Trap.Fault(VmError.Kind.INTERNAL, "unknown opcode " + (code[pc - 1] & 0xFF));
                }
            }
        } catch (Trap t) {
            return new Outcome.Failed(new VmError(t.kind(), t.getMessage(), trace(fn, pc, depth)));
        } catch (RuntimeException | StackOverflowError e) {
            // A module that passed verification cannot get here; a hand-made one or a host bug can.
            String message = "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Outcome.Failed(new VmError(VmError.Kind.INTERNAL, message, trace(fn, pc, depth)));
        }
    }

    /** The Manaknight stack, innermost first; `pc` is just past (part of) the failing instruction. */
    private List<VmError.StackFrame> trace(int fn, int pc, int depth) {
        var frames = new ArrayList<VmError.StackFrame>(depth + 1);
        frames.add(frame(fn, pc - 1));
        for (int d = depth - 1; d >= 0; d--) frames.add(frame(frameFn[d], frameReturn[d] - 1));
        return frames;
    }

    private VmError.StackFrame frame(int fn, int pc) {
        var f = program.functions[fn];
        return new VmError.StackFrame(f.name(), f.file(), f.lineAt(pc));
    }

    private static long unboxArgument(Object arg) {
        return switch (arg) {
            case Long l -> l;
            case Boolean b -> b ? 1 : 0;
            case Double d -> Double.doubleToRawLongBits(d);
            case Integer i -> i;
            case null, default -> throw new IllegalArgumentException("not a primitive argument: " + arg);
        };
    }

    /** Non-parameter locals start empty, never with a previous frame's values. */
    private void clearSlots(int from, int to) {
        for (int i = from; i < to; i++) {
            p[i] = 0;
            r[i] = null;
        }
    }

    /**
     * Grows both lanes to at least `slots`. Up to {@link #INITIAL_SLOTS} they grow free, to what
     * is needed; past it, to at least double that, charged to the meter as if the run had
     * started with INITIAL_SLOTS (so the meter's figures do not depend on how the first
     * slots were allocated).
     */
    private void ensureStack(int slots) {
        if (slots <= p.length) return;
        int size;
        if (slots <= INITIAL_SLOTS) {
            size = Math.min(INITIAL_SLOTS, Math.max(slots, p.length * 2));
        } else {
            size = Math.max(slots, Math.max(p.length, INITIAL_SLOTS) * 2);
            meter.charge(2 * MemoryMeter.array(size));
        }
        p = Arrays.copyOf(p, size);
        r = Arrays.copyOf(r, size);
    }

    /** The first CALL allocates {@link #INITIAL_FRAMES} frames free; later growth doubles, charged. */
    private void growFrames() {
        int size;
        if (frameFn.length == 0) {
            size = Math.min(INITIAL_FRAMES, maxFrames);
        } else {
            size = Math.min(frameFn.length * 2, maxFrames);
            meter.charge(3 * (MemoryMeter.HEADER + 4L * size));
        }
        frameFn = Arrays.copyOf(frameFn, size);
        frameReturn = Arrays.copyOf(frameReturn, size);
        frameBase = Arrays.copyOf(frameBase, size);
    }

    /** EFFECT: capability check, the host call (its time excluded from the CPU budget), the result charged. */
    private int effect(EffectOp op, int sp) {
        if ((granted & op.capability().bit()) == 0)
            throw new Trap.Fault(VmError.Kind.CAPABILITY_DENIED,
                    "`" + op.qualifiedName() + "` needs capability `" + op.capability().sourceName() + "`, which this run was not granted");
        long fuel = op.fuel();
        if (fuel > 0) budget.charge(fuel); // before the work; a charge over a tick looks at the CPU budget and the cancel flag
        int n = op.params().size();
        sp -= n;
        meter.charge(MemoryMeter.array(n));
        Object[] args = Arrays.copyOfRange(r, sp, sp + n);
        Object result;
        budget.pauseCpu();
        hostCalls++; // odd: the frames stand still until the call returns (stackNow)
        try {
            result = host.effect(op, args);
        } catch (Host.EffectFailure e) {
            throw new Trap.Fault(e.vmKind(), e.getMessage());
        } finally {
            hostCalls++;
            budget.resumeCpu();
        }
        if (result == null) {
            if (op.result() != Type.UNIT)
                throw new Trap.Fault(VmError.Kind.INTERNAL, "host returned nothing for `" + op.qualifiedName() + "`");
            result = Values.Unit.UNIT;
        }
        meter.charge(MemoryMeter.deep(result));
        budget.checkCancelled();
        r[sp] = result;
        return sp + 1;
    }

    private static final int JSON_PARSE = Builtin.JSON_PARSE.id();

    /**
     * BUILTIN json_parse: `Json.parse(text)` by the host's JSON reader (the runtime's, held to a
     * request body's limits). Its work is this request's: the text's walk is paid before, the
     * tree's nodes and bytes after, and the CPU clock runs through it.
     */
    private Object parseJson(String text) {
        Text.walk(text.length(), budget);
        Object result;
        try {
            result = host.parseJson(text);
        } catch (Host.EffectFailure e) {
            throw new Trap.Fault(VmError.Kind.EFFECT_FAILED, e.getMessage());
        }
        if (!(result instanceof Values.Ok) && !(result instanceof Values.Err))
            throw new Trap.Fault(VmError.Kind.INTERNAL, "the host's JSON reader answered neither ok nor err");
        budget.charge(JsonValues.nodes(result));
        meter.charge(MemoryMeter.deep(result));
        return result;
    }

    /**
     * FROM_JSON J: `T.fromJson(j)` by the host's body decoder (the rules a request body of type T
     * is read by). Its work is this request's: the Json's text is printed and walked before, the
     * value made is metered after.
     */
    private Object decodeJson(Type type, Object json) {
        String text = JsonPrinter.print(json, budget, meter);
        Text.walk(text.length(), budget);
        Object result;
        try {
            result = host.decodeJson(text, type, program.module());
        } catch (Host.EffectFailure e) {
            throw new Trap.Fault(VmError.Kind.EFFECT_FAILED, e.getMessage());
        }
        if (!(result instanceof Values.Ok) && !(result instanceof Values.Err))
            throw new Trap.Fault(VmError.Kind.INTERNAL, "the host's JSON decoder answered neither ok nor err");
        meter.charge(MemoryMeter.deep(result));
        return result;
    }

    /** RESPOND n and RESPOND_KEEP n (`keep`): status, body, then n header pairs, deepest first. */
    private Response respond(int n, int sp, boolean keep) {
        int at = sp - 2 - 2 * n;
        long status = p[at];
        if (status < 100 || status > 599) throw new Trap.Fault(VmError.Kind.BAD_VALUE, "status " + status + " is not an HTTP status");
        Response.Body body = switch (r[at + 1]) {
            case Values.Unit u -> new Response.Body.None();
            case Response.Body b -> b;
            case Object o -> throw new Trap.Fault(VmError.Kind.INTERNAL, "not a response body: " + o.getClass().getSimpleName());
        };
        var headers = new ArrayList<Response.Header>(n);
        for (int i = 0; i < n; i++) {
            String name = (String) r[at + 2 + 2 * i];
            String value = (String) r[at + 3 + 2 * i];
            String wrong = Response.Header.problem(name, value);
            if (wrong != null) throw new Trap.Fault(VmError.Kind.BAD_VALUE, wrong);
            headers.add(new Response.Header(name, value));
        }
        return new Response((int) status, body, headers, keep);
    }

    /**
     * REQUEST (tests only): asks the host to run a request and returns its response as a record
     * value of type -1 named `Response` with fields status (Int), headers (Map of String) and
     * body (String). The request carries the test's headers and its JSON or text body.
     */
    private Object request(int method, Object path, Object body, Values.MapValue headers) {
        Object payload;
        int typeRef;
        switch (body) {
            case Response.Body.Json j -> {
                payload = j.value();
                typeRef = program.module().typeRefs().indexOf(j.type());
            }
            case Response.Body.Text t -> {
                payload = t.text();
                typeRef = -1;
            }
            default -> {
                payload = Values.Unit.UNIT;
                typeRef = -1;
            }
        }
        Response response;
        budget.pauseCpu();
        try {
            response = host.request(HttpMethod.of(method), (String) path, headers, payload, typeRef);
        } catch (Host.EffectFailure e) {
            throw new Trap.Fault(VmError.Kind.EFFECT_FAILED, e.getMessage());
        } finally {
            budget.resumeCpu();
        }
        var value = ResponseValue.of(response);
        meter.charge(MemoryMeter.deep(value));
        budget.checkCancelled();
        return value;
    }

    /**
     * Records a failed `expect` of function `fn` at `pc` (just past its opcode) as
     * `file:line: expect <source>`, then `: <found>` when the code says what it found.
     */
    private void expectationFailed(int fn, int pc, String source, String found) {
        var f = program.functions[fn];
        String where = (f.file() == null ? f.name() : f.file()) + ":" + f.lineAt(pc - 1) + ": expect ";
        long chars = where.length() + source.length() + (found == null ? 0 : 2L + found.length());
        meter.charge(MemoryMeter.REF + MemoryMeter.string(chars));
        String message = where + source + (found == null ? "" : ": " + found);
        if (expectationFailures == null) expectationFailures = new ArrayList<>();
        expectationFailures.add(message);
    }

    /** CONFIG_P k, CONFIG_R k: the key's value; the runtime gives every key a value before it serves. */
    private static Object setting(Program prog, int k) {
        Object v = prog.settings[k];
        if (v == null) throw new Trap.Fault(VmError.Kind.INTERNAL, "config key `" + prog.module().settings().get(k).name()
                + "` has no value: the app was run without its configuration");
        return v;
    }

    private static int u16(byte[] code, int pc) {
        return ((code[pc] & 0xFF) << 8) | (code[pc + 1] & 0xFF);
    }

    private static double f(long bits) { return Double.longBitsToDouble(bits); }

    private static long bits(double d) { return Double.doubleToRawLongBits(d); }
}
