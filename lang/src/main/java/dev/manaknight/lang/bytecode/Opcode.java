package dev.manaknight.lang.bytecode;

import java.util.List;

/**
 * The instruction set. One constant per opcode; its byte value is its ordinal, its operands and
 * its stack effect are fields, so the emitter, the verifier and the disassembler all read this
 * one table.
 *
 * <h2>Notation</h2>
 * Each comment reads {@code operands : before -> after}. Stack kinds: {@code P} a primitive slot
 * (Int, Bool as 0/1, Float as IEEE bits), {@code R} a reference slot. {@code k} is a constant
 * index, {@code s} a local slot, {@code t} a jump target, {@code T} a type-table index, {@code f}
 * a field or variant index, {@code n} a count.
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
 *       the VM run. {@code RET_P}/{@code RET_R} end the current frame.</li>
 *   <li>Jumps: {@code JUMP}, {@code JUMP_IF_*} must go forward; {@code LOOP} must go backward
 *       and is where fuel is charged. Every loop therefore pays fuel on each iteration.</li>
 * </ul>
 */
public enum Opcode {
    NOP("", ""),                                    //  : ->
    CONST("", "R", Operand.U16),                    // k : -> R           a String or Decimal constant
    CONST_INT("", "P", Operand.U16),                // k : -> P           an Int constant
    CONST_FLOAT("", "P", Operand.U16),              // k : -> P           a Float constant
    SMALL_INT("", "P", Operand.S16),                // v : -> P           an Int in -32768..32767
    TRUE("", "P"),                                  //  : -> P            1
    FALSE("", "P"),                                 //  : -> P            0
    UNIT("", "R"),                                  //  : -> R            ()
    NONE("", "R"),                                  //  : -> R            none
    LOAD_P("", "P", Operand.U8),                    // s : -> P
    LOAD_R("", "R", Operand.U8),                    // s : -> R
    STORE_P("P", "", Operand.U8),                   // s : P ->
    STORE_R("R", "", Operand.U8),                   // s : R ->
    POP_P("P", ""),                                 //  : P ->
    POP_R("R", ""),                                 //  : R ->

    ADD_INT("PP", "P"),                             //  : a b -> a+b      traps on overflow
    SUB_INT("PP", "P"),                             //  : a b -> a-b      traps on overflow
    MUL_INT("PP", "P"),                             //  : a b -> a*b      traps on overflow
    DIV_INT("PP", "P"),                             //  : a b -> a/b      traps on b=0 and MIN/-1
    MOD_INT("PP", "P"),                             //  : a b -> a%b      traps on b=0
    NEG_INT("P", "P"),                              //  : a -> -a         traps on MIN
    EQ_INT("PP", "P"),                              //  : a b -> a==b     also Bool
    NE_INT("PP", "P"),                              //  : a b -> a!=b     also Bool
    LT_INT("PP", "P"),                              //  : a b -> a<b
    LE_INT("PP", "P"),                              //  : a b -> a<=b
    GT_INT("PP", "P"),                              //  : a b -> a>b
    GE_INT("PP", "P"),                              //  : a b -> a>=b

    ADD_FLT("PP", "P"),                             //  : a b -> a+b      IEEE double
    SUB_FLT("PP", "P"),                             //  : a b -> a-b
    MUL_FLT("PP", "P"),                             //  : a b -> a*b
    DIV_FLT("PP", "P"),                             //  : a b -> a/b      IEEE (x/0 is infinite)
    MOD_FLT("PP", "P"),                             //  : a b -> a%b      IEEE remainder as Java %
    NEG_FLT("P", "P"),                              //  : a -> -a
    EQ_FLT("PP", "P"),                              //  : a b -> a==b     NaN is unequal to all
    NE_FLT("PP", "P"),                              //  : a b -> a!=b
    LT_FLT("PP", "P"),                              //  : a b -> a<b
    LE_FLT("PP", "P"),                              //  : a b -> a<=b
    GT_FLT("PP", "P"),                              //  : a b -> a>b
    GE_FLT("PP", "P"),                              //  : a b -> a>=b

    ADD_DEC("RR", "R"),                             //  : a b -> a+b      exact
    SUB_DEC("RR", "R"),                             //  : a b -> a-b      exact
    MUL_DEC("RR", "R"),                             //  : a b -> a*b      exact
    DIV_DEC("RR", "R"),                             //  : a b -> a/b      exact, else 34 digits half-even; traps on b=0
    MOD_DEC("RR", "R"),                             //  : a b -> a%b      traps on b=0
    NEG_DEC("R", "R"),                              //  : a -> -a
    CMP_DEC("RR", "P"),                             //  : a b -> -1|0|1   by value (2.50 == 2.5)
    CMP_STR("RR", "P"),                             //  : a b -> -1|0|1   by code point
    LT0("P", "P"),                                  //  : c -> c<0
    LE0("P", "P"),                                  //  : c -> c<=0
    GT0("P", "P"),                                  //  : c -> c>0
    GE0("P", "P"),                                  //  : c -> c>=0
    EQ_R("RR", "P"),                                //  : a b -> a==b     structural equality
    NE_R("RR", "P"),                                //  : a b -> a!=b
    NOT("P", "P"),                                  //  : b -> !b

    CONCAT("", "R", Operand.U8),                    // n : s1..sn -> s    VAR: joins n Strings
    STR_INT("P", "R"),                              //  : i -> s          Int to text
    STR_FLT("P", "R"),                              //  : f -> s          Float to text
    STR_BOOL("P", "R"),                             //  : b -> s          "true" | "false"
    STR_ANY("R", "R"),                              //  : v -> s          any reference to its display text
    BOX_INT("P", "R"),                              //  : i -> R          for generic containers
    BOX_FLT("P", "R"),                              //  : f -> R
    BOX_BOOL("P", "R"),                             //  : b -> R
    UNBOX_INT("R", "P"),                            //  : R -> i
    UNBOX_FLT("R", "P"),                            //  : R -> f
    UNBOX_BOOL("R", "P"),                           //  : R -> b

    LIST_NEW("", "R", Operand.U16),                 // n : e1..en -> list VAR
    LIST_CONCAT("RR", "R"),                         //  : a b -> a+b
    LIST_LEN("R", "P"),                             //  : list -> n
    LIST_INDEX("RP", "R"),                          //  : list i -> e     traps when out of range
    MAP_NEW("", "R", Operand.U16),                  // n : k1 v1..kn vn -> map  VAR; a later key wins
    BUILDER_NEW("", "R"),                           //  : -> b            a request-local list builder
    BUILDER_ADD("RR", ""),                          //  : b e ->
    BUILDER_LIST("R", "R"),                         //  : b -> list
    RECORD_NEW("", "R", Operand.U16),               // T : f1..fn -> rec  VAR
    GET_FIELD("R", "R", Operand.U16, Operand.U8),   // T f : rec -> v
    WITH_FIELD("RR", "R", Operand.U16, Operand.U8), // T f : rec v -> rec'   a copy
    ENUM_NEW("", "R", Operand.U16, Operand.U8),     // T f : p1..pn -> e  VAR
    VARIANT("R", "P"),                              //  : e -> tag        enum: variant; option: none 0 some 1; result: ok 0 err 1
    PAYLOAD("R", "R", Operand.U8),                  // i : e -> v         payload i of an enum, some, ok or err
    SOME("R", "R"),                                 //  : v -> some(v)
    OK("R", "R"),                                   //  : v -> ok(v)
    ERR("R", "R"),                                  //  : v -> err(v)

    JUMP("", "", Operand.TARGET),                   // t : ->             forward only
    JUMP_IF_FALSE("P", "", Operand.TARGET),         // t : b ->           forward only
    JUMP_IF_TRUE("P", "", Operand.TARGET),          // t : b ->           forward only
    LOOP("", "", Operand.TARGET),                   // t : ->             backward only; charges fuel
    CALL("", "", Operand.U16),                      // fn : args -> r     VAR; charges fuel
    RET_P("P", ""),                                 //  : v ->            return a primitive
    RET_R("R", ""),                                 //  : v ->            return a reference
    BUILTIN("", "", Operand.U16),                   // id : … -> …        VAR, see Builtin
    EFFECT("", "R", Operand.U16),                   // op : a1..an -> r   VAR; needs the op's capability
    JSON("R", "R", Operand.U16),                    // T : v -> body      a JSON body of type-ref T
    TEXT("R", "R"),                                 //  : s -> body       a text/plain body
    RESPOND("PR", "", Operand.U8),                  // n : status body (name value)*n ->  VAR; ends the run
    FAIL("", "", Operand.U16),                      // k : ->             runtime error with message constant k
    EXPECT("P", "", Operand.U16),                   // k : b ->           test assertion; k is the source text
    REQUEST("RR", "R", Operand.U8);                 // m : path body -> response   test only; m = HttpMethod ordinal

    /** Kinds popped, deepest first (`"RP"` pops a P then an R). */
    public final String pops;
    /** Kinds pushed. */
    public final String pushes;
    public final List<Operand> operands;
    /** Total size in bytes: opcode plus operands. */
    public final int size;

    private static final Opcode[] BY_CODE = values();

    Opcode(String pops, String pushes, Operand... operands) {
        this.pops = pops;
        this.pushes = pushes;
        this.operands = List.of(operands);
        int s = 1;
        for (Operand o : operands) s += o.width;
        this.size = s;
    }

    public byte code() { return (byte) ordinal(); }

    /** The opcode for a byte, or null when the byte is no opcode. */
    public static Opcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** True where the stack effect depends on operands or tables (see Notes). */
    public boolean variable() {
        return switch (this) {
            case CONCAT, LIST_NEW, MAP_NEW, RECORD_NEW, ENUM_NEW, CALL, BUILTIN, EFFECT, RESPOND -> true;
            default -> false;
        };
    }

    /** Control never falls through to the next instruction. */
    public boolean terminal() {
        return switch (this) {
            case JUMP, LOOP, RET_P, RET_R, RESPOND, FAIL -> true;
            default -> false;
        };
    }
}
