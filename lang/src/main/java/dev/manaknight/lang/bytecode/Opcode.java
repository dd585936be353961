package dev.manaknight.lang.bytecode;

import java.util.List;

/**
 * The instruction set. One constant per opcode; its byte value, its operands and its stack
 * effect are fields, so the emitter, the verifier, the disassembler and the reader all read this
 * one table.
 *
 * <h2>Byte values are pinned</h2>
 * The byte value is written explicitly and is part of the `.mkb` format: it never follows the
 * declaration order. Moving one changes the bytes of every module that uses it, so it needs a
 * new format version ({@link Module#VERSION}); {@code FormatPinTest} fails until both are done.
 * A new opcode takes a free byte value. Decoding goes through {@link #of}, which answers null for
 * a byte that is no opcode.
 *
 * <h2>Notation</h2>
 * Each comment reads {@code operands : before -> after}. Stack kinds: {@code P} a primitive slot
 * (Int, Bool as 0/1, Float as IEEE bits), {@code R} a reference slot. {@code k} is a constant
 * index, {@code s} a local slot, {@code t} a jump target, {@code T} a type-table index, {@code J}
 * a type-reference index, {@code f} a field or variant index, {@code n} a count; for {@code CONFIG_P}
 * and {@code CONFIG_R}, {@code k} indexes the module's config keys ({@link Module#settings}). The verifier
 * checks more than the kinds: every reference's type (see verify/verifier.md).
 *
 * <h2>Notes (irregular cases, marked VAR)</h2>
 * <ul>
 *   <li>{@code CALL fn}: pops the callee's parameters (their kinds from its signature), pushes
 *       one value of its result kind. Charges one unit of fuel.</li>
 *   <li>{@code BUILTIN id}: pops and pushes what {@link Builtin} says for {@code id}.</li>
 *   <li>{@code EFFECT op}: pops one R per parameter of the effect operation, pushes one R.</li>
 *   <li>{@code CONCAT n}, {@code LIST_NEW n}: pop n R. {@code MAP_NEW n}: pops 2n R (key, value).</li>
 *   <li>{@code RECORD_NEW T}: pops one R per field of record T. {@code ENUM_NEW T f}: one R per
 *       payload field of variant f.</li>
 *   <li>{@code RESPOND n}: pops P status, R body, then n (R name, R value) header pairs, and ends
 *       the VM run. {@code RESPOND_KEEP n} is the same, and its response keeps the request's
 *       database writes although its status is a 4xx (`respond keep`); it needs the `db`
 *       capability. {@code RET_P}/{@code RET_R} end the current frame.</li>
 *   <li>Jumps: {@code JUMP}, {@code JUMP_IF_*} must go forward; {@code LOOP} must go backward
 *       and is where fuel is charged. Every loop therefore pays fuel on each iteration.</li>
 *   <li>{@code PAYLOAD v i} reads payload i of variant v: the verifier knows the value's type,
 *       hence the payload's; the VM checks that the value holds variant v (a {@code BAD_VALUE}
 *       trap otherwise). {@code BUILDER_NEW J}: J is the type reference of the elements.</li>
 * </ul>
 */
public enum Opcode {
    NOP(0x00, "", ""),                              //  : ->
    CONST(0x01, "", "R", Operand.U16),              // k : -> R           a String or Decimal constant
    CONST_INT(0x02, "", "P", Operand.U16),          // k : -> P           an Int constant
    CONST_FLOAT(0x03, "", "P", Operand.U16),        // k : -> P           a Float constant
    SMALL_INT(0x04, "", "P", Operand.S16),          // v : -> P           an Int in -32768..32767
    TRUE(0x05, "", "P"),                            //  : -> P            1
    FALSE(0x06, "", "P"),                           //  : -> P            0
    UNIT(0x07, "", "R"),                            //  : -> R            ()
    NONE(0x08, "", "R"),                            //  : -> R            none
    LOAD_P(0x09, "", "P", Operand.U8),              // s : -> P
    LOAD_R(0x0A, "", "R", Operand.U8),              // s : -> R
    STORE_P(0x0B, "P", "", Operand.U8),             // s : P ->
    STORE_R(0x0C, "R", "", Operand.U8),             // s : R ->
    POP_P(0x0D, "P", ""),                           //  : P ->
    POP_R(0x0E, "R", ""),                           //  : R ->

    ADD_INT(0x0F, "PP", "P"),                       //  : a b -> a+b      traps on overflow
    SUB_INT(0x10, "PP", "P"),                       //  : a b -> a-b      traps on overflow
    MUL_INT(0x11, "PP", "P"),                       //  : a b -> a*b      traps on overflow
    DIV_INT(0x12, "PP", "P"),                       //  : a b -> a/b      traps on b=0 and MIN/-1
    MOD_INT(0x13, "PP", "P"),                       //  : a b -> a%b      traps on b=0
    NEG_INT(0x14, "P", "P"),                        //  : a -> -a         traps on MIN
    EQ_INT(0x15, "PP", "P"),                        //  : a b -> a==b     also Bool
    NE_INT(0x16, "PP", "P"),                        //  : a b -> a!=b     also Bool
    LT_INT(0x17, "PP", "P"),                        //  : a b -> a<b
    LE_INT(0x18, "PP", "P"),                        //  : a b -> a<=b
    GT_INT(0x19, "PP", "P"),                        //  : a b -> a>b
    GE_INT(0x1A, "PP", "P"),                        //  : a b -> a>=b

    ADD_FLT(0x1B, "PP", "P"),                       //  : a b -> a+b      IEEE double
    SUB_FLT(0x1C, "PP", "P"),                       //  : a b -> a-b
    MUL_FLT(0x1D, "PP", "P"),                       //  : a b -> a*b
    DIV_FLT(0x1E, "PP", "P"),                       //  : a b -> a/b      IEEE (x/0 is infinite)
    MOD_FLT(0x1F, "PP", "P"),                       //  : a b -> a%b      IEEE remainder as Java %
    NEG_FLT(0x20, "P", "P"),                        //  : a -> -a
    EQ_FLT(0x21, "PP", "P"),                        //  : a b -> a==b     NaN is unequal to all
    NE_FLT(0x22, "PP", "P"),                        //  : a b -> a!=b
    LT_FLT(0x23, "PP", "P"),                        //  : a b -> a<b
    LE_FLT(0x24, "PP", "P"),                        //  : a b -> a<=b
    GT_FLT(0x25, "PP", "P"),                        //  : a b -> a>b
    GE_FLT(0x26, "PP", "P"),                        //  : a b -> a>=b

    ADD_DEC(0x27, "RR", "R"),                       //  : a b -> a+b      exact
    SUB_DEC(0x28, "RR", "R"),                       //  : a b -> a-b      exact
    MUL_DEC(0x29, "RR", "R"),                       //  : a b -> a*b      exact
    DIV_DEC(0x2A, "RR", "R"),                       //  : a b -> a/b      exact, else 34 digits half-even; traps on b=0
    MOD_DEC(0x2B, "RR", "R"),                       //  : a b -> a%b      traps on b=0
    NEG_DEC(0x2C, "R", "R"),                        //  : a -> -a
    CMP_DEC(0x2D, "RR", "P"),                       //  : a b -> -1|0|1   by value (2.50 == 2.5)
    CMP_STR(0x2E, "RR", "P"),                       //  : a b -> -1|0|1   by code point
    LT0(0x2F, "P", "P"),                            //  : c -> c<0
    LE0(0x30, "P", "P"),                            //  : c -> c<=0
    GT0(0x31, "P", "P"),                            //  : c -> c>0
    GE0(0x32, "P", "P"),                            //  : c -> c>=0
    EQ_R(0x33, "RR", "P"),                          //  : a b -> a==b     structural equality
    NE_R(0x34, "RR", "P"),                          //  : a b -> a!=b
    NOT(0x35, "P", "P"),                            //  : b -> !b

    CONCAT(0x36, "", "R", Operand.U8),              // n : s1..sn -> s    VAR: joins n Strings
    STR_INT(0x37, "P", "R"),                        //  : i -> s          Int to text
    STR_FLT(0x38, "P", "R"),                        //  : f -> s          Float to text
    STR_BOOL(0x39, "P", "R"),                       //  : b -> s          "true" | "false"
    STR_ANY(0x3A, "R", "R"),                        //  : v -> s          any reference to its display text
    BOX_INT(0x3B, "P", "R"),                        //  : i -> R          for generic containers
    BOX_FLT(0x3C, "P", "R"),                        //  : f -> R
    BOX_BOOL(0x3D, "P", "R"),                       //  : b -> R
    UNBOX_INT(0x3E, "R", "P"),                      //  : R -> i
    UNBOX_FLT(0x3F, "R", "P"),                      //  : R -> f
    UNBOX_BOOL(0x40, "R", "P"),                     //  : R -> b

    LIST_NEW(0x41, "", "R", Operand.U16),           // n : e1..en -> list VAR
    LIST_CONCAT(0x42, "RR", "R"),                   //  : a b -> a+b
    LIST_LEN(0x43, "R", "P"),                       //  : list -> n
    LIST_INDEX(0x44, "RP", "R"),                    //  : list i -> e     traps when out of range
    MAP_NEW(0x45, "", "R", Operand.U16),            // n : k1 v1..kn vn -> map  VAR; a later key wins
    BUILDER_NEW(0x46, "", "R", Operand.U16),        // J : -> b           a request-local list builder of element type J
    BUILDER_ADD(0x47, "RR", ""),                    //  : b e ->
    BUILDER_LIST(0x48, "R", "R"),                   //  : b -> list
    RECORD_NEW(0x49, "", "R", Operand.U16),         // T : f1..fn -> rec  VAR
    GET_FIELD(0x4A, "R", "R", Operand.U16, Operand.U8), // T f : rec -> v
    WITH_FIELD(0x4B, "RR", "R", Operand.U16, Operand.U8), // T f : rec v -> rec'   a copy
    ENUM_NEW(0x4C, "", "R", Operand.U16, Operand.U8), // T f : p1..pn -> e  VAR
    VARIANT(0x4D, "R", "P"),                        //  : e -> tag        enum: variant; option: none 0 some 1; result: ok 0 err 1
    PAYLOAD(0x4E, "R", "R", Operand.U8, Operand.U8), // v i : e -> p      payload i of variant v (enum; some 1; ok 0, err 1)
    SOME(0x4F, "R", "R"),                           //  : v -> some(v)
    OK(0x50, "R", "R"),                             //  : v -> ok(v)
    ERR(0x51, "R", "R"),                            //  : v -> err(v)

    JUMP(0x52, "", "", Operand.TARGET),             // t : ->             forward only
    JUMP_IF_FALSE(0x53, "P", "", Operand.TARGET),   // t : b ->           forward only
    JUMP_IF_TRUE(0x54, "P", "", Operand.TARGET),    // t : b ->           forward only
    LOOP(0x55, "", "", Operand.TARGET),             // t : ->             backward only; charges fuel
    CALL(0x56, "", "", Operand.U16),                // fn : args -> r     VAR; charges fuel
    RET_P(0x57, "P", ""),                           //  : v ->            return a primitive
    RET_R(0x58, "R", ""),                           //  : v ->            return a reference
    BUILTIN(0x59, "", "", Operand.U16),             // id : … -> …        VAR, see Builtin
    EFFECT(0x5A, "", "R", Operand.U16),             // op : a1..an -> r   VAR; needs the op's capability
    JSON(0x5B, "R", "R", Operand.U16),              // T : v -> body      a JSON body of type-ref T
    TEXT(0x5C, "R", "R"),                           //  : s -> body       a text/plain body
    RESPOND(0x5D, "PR", "", Operand.U8),            // n : status body (name value)*n ->  VAR; ends the run
    FAIL(0x5E, "", "", Operand.U16),                // k : ->             runtime error with message constant k
    EXPECT(0x5F, "P", "", Operand.U16),             // k : b ->           test assertion; k is the source text
    REQUEST(0x60, "RRR", "R", Operand.U8),          // m : path body headers -> response   test only; m = HttpMethod code
    EXPECT_FAILED(0x61, "R", "", Operand.U16),      // k : s ->           a failed assertion: k its source, s what it found
    RESPOND_KEEP(0x62, "PR", "", Operand.U8),       // n : status body (name value)*n ->  VAR; as RESPOND, a 4xx keeps writes
    CONFIG_P(0x63, "", "P", Operand.U16),           // k : -> P           config key k's value (Int, Bool)
    CONFIG_R(0x64, "", "R", Operand.U16),           // k : -> R           config key k's value (Decimal, String, Secret)
    TO_JSON(0x65, "R", "R", Operand.U16),           // J : v -> json      a value of type-ref J as a `Json` value
    FROM_JSON(0x66, "R", "R", Operand.U16);         // J : json -> result  `T.fromJson(j)`: ok(a T of type-ref J) or err(why)

    /** The byte value in code: pinned, see the class comment. */
    private final int code;
    /** Kinds popped, deepest first (`"RP"` pops a P then an R). */
    public final String pops;
    /** Kinds pushed. */
    public final String pushes;
    public final List<Operand> operands;
    /** Total size in bytes: opcode plus operands. */
    public final int size;

    private static final Opcode[] BY_CODE = Codes.table(values(), Opcode::codeValue, Opcode[]::new);

    Opcode(int code, String pops, String pushes, Operand... operands) {
        this.code = code;
        this.pops = pops;
        this.pushes = pushes;
        this.operands = List.of(operands);
        int s = 1;
        for (Operand o : operands) s += o.width;
        this.size = s;
    }

    public byte code() { return (byte) code; }

    private int codeValue() { return code; }

    /** The opcode for a byte (0..255), or null when the byte is no opcode. */
    public static Opcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** True where the stack effect depends on operands or tables (see Notes). */
    public boolean variable() {
        return switch (this) {
            case CONCAT, LIST_NEW, MAP_NEW, RECORD_NEW, ENUM_NEW, CALL, BUILTIN, EFFECT, RESPOND, RESPOND_KEEP -> true;
            default -> false;
        };
    }

    /** Control never falls through to the next instruction. */
    public boolean terminal() {
        return switch (this) {
            case JUMP, LOOP, RET_P, RET_R, RESPOND, RESPOND_KEEP, FAIL -> true;
            default -> false;
        };
    }
}
