package dev.manaknight.lang.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.SampleModules;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the verifier tracks the type of every reference, not only its lane, so that no
 * instruction the VM casts its operand for can meet a value of another class (verifier.md,
 * "Types"). One test per rule: the code the compiler emits passes, the crafted one is refused.
 */
class TypeRulesTest {
    private static final Type USER = new Type.Named("User");
    private static final Type ROLE = new Type.Named("Role");
    private static final int RESPONSE = 2;

    /** #0 "s", #1 1.5, #2 7; T0 User, T1 Role, T2 $Response; J0 User, J1 Int; E0 db.findUser, E1 log.info; F1 `user`. */
    private static Module f(List<Type> params, Type result, CodeBuilder code) {
        var user = new CodeBuilder().op(Opcode.SMALL_INT, 1).op(Opcode.BOX_INT).op(Opcode.CONST, 0).op(Opcode.CONST, 0)
                .op(Opcode.RECORD_NEW, 0).op(Opcode.RET_R);
        return new Module(
                List.of(new Constant.StrConst("s"), new Constant.DecConst(new BigDecimal("1.5")), new Constant.IntConst(7)),
                List.of(SampleModules.USER, SampleModules.ROLE, TypeDef.RESPONSE),
                List.of(USER, Type.INT),
                List.of(SampleModules.function("f", "f.mnk", params, result, 4, 8,
                        Capability.DB.bit() | Capability.LOG.bit(), code),
                        SampleModules.function("user", "f.mnk", List.of(), USER, 0, 3, 0, user)),
                List.of(SampleModules.FIND_USER, EffectOp.BUILT_IN.getFirst()), List.of(), List.of());
    }

    private static Module f(Type result, CodeBuilder code) {
        return f(List.of(), result, code);
    }

    private static CodeBuilder code() {
        return new CodeBuilder();
    }

    private static List<String> messages(Module m) {
        return Verifier.verify(m).stream().map(VerifyError::message).toList();
    }

    private static void ok(Module m) {
        assertEquals(List.of(), messages(m));
    }

    private static void only(Module m, String expected) {
        assertEquals(List.of(expected), messages(m));
    }

    @Test
    void aStringIsNoList() {
        only(f(Type.INT, code().op(Opcode.CONST, 0).op(Opcode.LIST_LEN).op(Opcode.RET_P)),
                "F0 `f` at 0003 LIST_LEN: operand 1 of 1 must be a List but is String; stack [String]");
        ok(f(Type.INT, code().op(Opcode.CONST, 0).op(Opcode.LIST_NEW, 1).op(Opcode.LIST_LEN).op(Opcode.RET_P)));
    }

    @Test
    void fieldsAreReadFromTheRecordTheyBelongTo() {
        ok(f(List.of(USER), Type.STRING, code().op(Opcode.LOAD_R, 0).op(Opcode.GET_FIELD, 0, 1).op(Opcode.RET_R)));
        only(f(List.of(ROLE), Type.STRING, code().op(Opcode.LOAD_R, 0).op(Opcode.GET_FIELD, 0, 1).op(Opcode.RET_R)),
                "F0 `f` at 0002 GET_FIELD: operand 1 of 1 must be User but is Role; stack [Role]");
        // the field's type comes with it: `name` is a String, not an Int
        only(f(List.of(USER), Type.INT, code().op(Opcode.LOAD_R, 0).op(Opcode.GET_FIELD, 0, 1).op(Opcode.UNBOX_INT)
                .op(Opcode.RET_P)),
                "F0 `f` at 0006 UNBOX_INT: operand 1 of 1 must be Int but is String; stack [String]");
        only(f(List.of(USER), USER, code().op(Opcode.LOAD_R, 0).op(Opcode.CONST, 1).op(Opcode.WITH_FIELD, 0, 2).op(Opcode.RET_R)),
                "F0 `f` at 0005 WITH_FIELD: operand 2 of 2 must be String but is Decimal; stack [User Decimal]");
    }

    @Test
    void recordsAndEnumsAreBuiltFromTheirDeclaredTypes() {
        only(f(USER, code().op(Opcode.CONST, 0).op(Opcode.CONST, 0).op(Opcode.CONST, 0).op(Opcode.RECORD_NEW, 0)
                .op(Opcode.RET_R)),
                "F0 `f` at 0009 RECORD_NEW: operand 1 of 3 must be Int but is String; stack [String String String]");
        only(f(ROLE, code().op(Opcode.CONST, 1).op(Opcode.ENUM_NEW, 1, 2).op(Opcode.RET_R)),
                "F0 `f` at 0003 ENUM_NEW: operand 1 of 1 must be String but is Decimal; stack [Decimal]");
    }

    @Test
    void emptyContainersFitEveryType() {
        ok(f(Type.listOf(USER), code().op(Opcode.LIST_NEW, 0).op(Opcode.RET_R)));
        ok(f(new Type.MapOf(Type.DECIMAL), code().op(Opcode.MAP_NEW, 0).op(Opcode.RET_R)));
        ok(f(Type.optionOf(Type.INT), code().op(Opcode.NONE).op(Opcode.RET_R)));
        ok(f(new Type.ResultOf(Type.STRING, Type.INT), code().op(Opcode.CONST, 0).op(Opcode.OK).op(Opcode.RET_R)));
        only(f(new Type.ResultOf(Type.INT, Type.INT), code().op(Opcode.CONST, 0).op(Opcode.OK).op(Opcode.RET_R)),
                "F0 `f` at 0004 RET_R: operand 1 of 1 must be Result<Int, Int> but is Result<String, Nothing>; "
                        + "stack [Result<String, Nothing>]");
    }

    @Test
    void listElementsAndMapValuesJoin() {
        ok(f(Type.listOf(Type.optionOf(Type.STRING)),
                code().op(Opcode.NONE).op(Opcode.CONST, 0).op(Opcode.SOME).op(Opcode.LIST_NEW, 2).op(Opcode.RET_R)));
        only(f(Type.listOf(Type.STRING), code().op(Opcode.CONST, 0).op(Opcode.CONST, 1).op(Opcode.LIST_NEW, 2).op(Opcode.RET_R)),
                "F0 `f` at 0006 LIST_NEW: list elements have no common type: String and Decimal");
        only(f(new Type.MapOf(Type.STRING), code().op(Opcode.CONST, 1).op(Opcode.CONST, 0).op(Opcode.MAP_NEW, 1)
                .op(Opcode.RET_R)),
                "F0 `f` at 0006 MAP_NEW: operand 1 of 2 must be String but is Decimal; stack [Decimal String]");
        only(f(Type.listOf(Type.STRING), code().op(Opcode.CONST, 0).op(Opcode.LIST_NEW, 1).op(Opcode.CONST, 1)
                .op(Opcode.LIST_NEW, 1)
                        .op(Opcode.LIST_CONCAT).op(Opcode.RET_R)),
                "F0 `f` at 0012 LIST_CONCAT: concatenates lists with no common element type: List<String> and List<Decimal>");
    }

    @Test
    void joinsOfPathsJoinTheirTypes() {
        var c = code();
        var none = c.newLabel();
        var join = c.newLabel();
        c.op(Opcode.TRUE).jump(Opcode.JUMP_IF_FALSE, none).op(Opcode.CONST, 0).op(Opcode.SOME).jump(Opcode.JUMP, join)
                .bind(none).op(Opcode.NONE).bind(join).op(Opcode.RET_R);
        ok(f(Type.optionOf(Type.STRING), c));
        var d = code();
        var other = d.newLabel();
        var end = d.newLabel();
        d.op(Opcode.TRUE).jump(Opcode.JUMP_IF_FALSE, other).op(Opcode.CONST, 0).jump(Opcode.JUMP, end)
                .bind(other).op(Opcode.CONST, 1).bind(end).op(Opcode.RET_R);
        only(f(Type.STRING, d), "F0 `f` at 0013 RET_R: paths join with different stacks: [String] and [Decimal]");
    }

    @Test
    void payloadsAreReadByVariantWithTheirTypes() {
        ok(f(List.of(ROLE), Type.STRING, code().op(Opcode.LOAD_R, 0).op(Opcode.PAYLOAD, 2, 0).op(Opcode.RET_R)));
        only(f(List.of(ROLE), Type.STRING, code().op(Opcode.LOAD_R, 0).op(Opcode.PAYLOAD, 0, 0).op(Opcode.RET_R)),
                "F0 `f` at 0002 PAYLOAD: variant 0 of Role has no payload 0; stack [Role]");
        only(f(List.of(Type.optionOf(Type.STRING)), Type.STRING, code().op(Opcode.LOAD_R, 0).op(Opcode.PAYLOAD, 0, 0)
                .op(Opcode.RET_R)),
                "F0 `f` at 0002 PAYLOAD: variant 0 of Option<String> has no payload 0; stack [Option<String>]");
        Type result = new Type.ResultOf(Type.INT, Type.STRING);
        ok(f(List.of(result), Type.STRING, code().op(Opcode.LOAD_R, 0).op(Opcode.PAYLOAD, 1, 0).op(Opcode.RET_R)));
        only(f(List.of(result), Type.STRING, code().op(Opcode.LOAD_R, 0).op(Opcode.PAYLOAD, 0, 0).op(Opcode.RET_R)),
                "F0 `f` at 0005 RET_R: operand 1 of 1 must be String but is Int; stack [Int]");
        only(f(List.of(USER), Type.STRING, code().op(Opcode.LOAD_R, 0).op(Opcode.VARIANT).op(Opcode.POP_P)
                        .op(Opcode.CONST, 0).op(Opcode.RET_R)),
                "F0 `f` at 0002 VARIANT: operand 1 of 1 must be an enum, Option or Result but is User; stack [User]");
    }

    @Test
    void buildersKeepTheirElementType() {
        ok(f(Type.listOf(Type.INT), code().op(Opcode.BUILDER_NEW, 1).op(Opcode.STORE_R, 0).op(Opcode.LOAD_R, 0)
                .op(Opcode.SMALL_INT, 1)
                .op(Opcode.BOX_INT).op(Opcode.BUILDER_ADD).op(Opcode.LOAD_R, 0).op(Opcode.BUILDER_LIST).op(Opcode.RET_R)));
        only(f(Type.listOf(Type.INT), code().op(Opcode.BUILDER_NEW, 1).op(Opcode.STORE_R, 0).op(Opcode.LOAD_R, 0)
                .op(Opcode.CONST, 0)
                        .op(Opcode.BUILDER_ADD).op(Opcode.LOAD_R, 0).op(Opcode.BUILDER_LIST).op(Opcode.RET_R)),
                "F0 `f` at 0010 BUILDER_ADD: operand 2 of 2 must be Int but is String; stack [Builder<Int> String]");
        only(f(Type.listOf(Type.STRING), code().op(Opcode.BUILDER_NEW, 1).op(Opcode.BUILDER_LIST).op(Opcode.RET_R)),
                "F0 `f` at 0004 RET_R: operand 1 of 1 must be List<String> but is List<Int>; stack [List<Int>]");
    }

    @Test
    void effectsTakeAndGiveTheirDeclaredTypes() {
        ok(f(Type.optionOf(USER), code().op(Opcode.SMALL_INT, 1).op(Opcode.BOX_INT).op(Opcode.EFFECT, 0).op(Opcode.RET_R)));
        only(f(Type.optionOf(USER), code().op(Opcode.CONST, 0).op(Opcode.EFFECT, 0).op(Opcode.RET_R)),
                "F0 `f` at 0003 EFFECT: operand 1 of 1 must be Int but is String; stack [String]");
        only(f(Type.optionOf(Type.STRING), code().op(Opcode.SMALL_INT, 1).op(Opcode.BOX_INT).op(Opcode.EFFECT, 0)
                .op(Opcode.RET_R)),
                "F0 `f` at 0007 RET_R: operand 1 of 1 must be Option<String> but is Option<User>; stack [Option<User>]");
    }

    @Test
    void callsTakeAndGiveTheCalleesTypes() {
        ok(f(Type.STRING, code().op(Opcode.CALL, 1).op(Opcode.GET_FIELD, 0, 2).op(Opcode.RET_R)));
        only(f(Type.INT, code().op(Opcode.CALL, 1).op(Opcode.LIST_LEN).op(Opcode.RET_P)),
                "F0 `f` at 0003 LIST_LEN: operand 1 of 1 must be a List but is User; stack [User]");
    }

    @Test
    void responsesTakeABodyOfTheirTypeAndStringHeaders() {
        only(f(Type.UNIT, code().op(Opcode.SMALL_INT, 200).op(Opcode.CONST, 0).op(Opcode.JSON, 0).op(Opcode.RESPOND, 0)),
                "F0 `f` at 0006 JSON: operand 1 of 1 must be User but is String; stack [P String]");
        only(f(Type.UNIT, code().op(Opcode.SMALL_INT, 200).op(Opcode.CONST, 0).op(Opcode.RESPOND, 0)),
                "F0 `f` at 0006 RESPOND: operand 2 of 2 must be a Body or Unit but is String; stack [P String]");
        only(f(Type.UNIT, code().op(Opcode.SMALL_INT, 200).op(Opcode.UNIT).op(Opcode.CONST, 0).op(Opcode.SMALL_INT, 1)
                        .op(Opcode.BOX_INT).op(Opcode.RESPOND, 1)),
                "F0 `f` at 0011 RESPOND: operand 4 of 4 must be String but is Int; stack [P Unit String Int]");
    }

    @Test
    void builtinsFollowTheirSignatures() {
        ok(f(Type.STRING, code().op(Opcode.NONE).op(Opcode.CONST, 0).op(Opcode.BUILTIN, Builtin.OPT_GET_OR.id())
                .op(Opcode.RET_R)));
        only(f(Type.STRING, code().op(Opcode.CONST, 0).op(Opcode.SOME).op(Opcode.CONST, 1)
                        .op(Opcode.BUILTIN, Builtin.OPT_GET_OR.id()).op(Opcode.RET_R)),
                "F0 `f` at 0007 BUILTIN: opt_get_or (Option<a> a -> a): operand 2 of 2 must be String but is Decimal; "
                        + "stack [Option<String> Decimal]");
        // sort keys are what the VM can compare
        only(f(Type.listOf(Type.STRING), code().op(Opcode.CONST, 0).op(Opcode.LIST_NEW, 1).op(Opcode.CALL, 1)
                .op(Opcode.LIST_NEW, 1)
                        .op(Opcode.BUILTIN, Builtin.LIST_SORT_BY_KEYS.id()).op(Opcode.RET_R)),
                "F0 `f` at 0012 BUILTIN: list_sort_by_keys (List<a> List<key> -> List<a>): operand 2 of 2 must be a list of Int, "
                        + "Decimal, Float, String or Instant keys but is List<User>; stack [List<String> List<User>]");
        only(f(Type.STRING, code().op(Opcode.CONST, 1).op(Opcode.LIST_NEW, 1).op(Opcode.CONST, 0)
                        .op(Opcode.BUILTIN, Builtin.LIST_JOIN.id()).op(Opcode.RET_R)),
                "F0 `f` at 0009 BUILTIN: list_join (List<String> String -> String): operand 1 of 2 must be List<String> but is "
                        + "List<Decimal>; stack [List<Decimal> String]");
    }

    @Test
    void issue15TextAndNumberBuiltinsFollowTheirSignatures() {
        ok(f(Type.optionOf(Type.INT), code().op(Opcode.CONST, 0).op(Opcode.CONST, 0).op(Opcode.BUILTIN, Builtin.STR_INDEX_OF.id())
                .op(Opcode.RET_R)));
        ok(f(Type.optionOf(Type.INT), code().op(Opcode.CONST, 1).op(Opcode.BUILTIN, Builtin.DEC_TO_INT.id()).op(Opcode.RET_R)));
        ok(f(Type.STRING, code().op(Opcode.CONST, 1).op(Opcode.SMALL_INT, 2).op(Opcode.CONST, 0)
                .op(Opcode.BUILTIN, Builtin.DEC_FORMAT.id()).op(Opcode.RET_R)));
        only(f(Type.STRING, code().op(Opcode.CONST, 0).op(Opcode.SMALL_INT, 1).op(Opcode.CONST, 0)
                        .op(Opcode.BUILTIN, Builtin.STR_SLICE.id()).op(Opcode.RET_R)),
                "F0 `f` at 0009 BUILTIN: str_slice (String Int Int -> String): operand 3 of 3 must be P but is String; "
                        + "stack [String P String]");
        only(f(Type.STRING, code().op(Opcode.CONST, 0).op(Opcode.CONST, 1).op(Opcode.CONST, 0)
                        .op(Opcode.BUILTIN, Builtin.STR_PAD_START.id()).op(Opcode.RET_R)),
                "F0 `f` at 0009 BUILTIN: str_pad_start (String Int String -> String): operand 2 of 3 must be P but is Decimal; "
                        + "stack [String Decimal String]");
        ok(f(Type.STRING, code().op(Opcode.CALL, 1).op(Opcode.BUILTIN, Builtin.VALUE_SHOW.id()).op(Opcode.RET_R)));
        only(f(Type.STRING, code().op(Opcode.SMALL_INT, 1).op(Opcode.BUILTIN, Builtin.VALUE_SHOW.id()).op(Opcode.RET_R)),
                "F0 `f` at 0003 BUILTIN: value_show (a -> String): operand 1 of 1 must be a reference but is P; stack [P]");
        only(f(Type.INT, code().op(Opcode.CONST, 1).op(Opcode.BUILTIN, Builtin.DEC_TO_INT.id()).op(Opcode.RET_P)),
                "F0 `f` at 0006 RET_P: operand 1 of 1 must be P but is Option<Int>; stack [Option<Int>]");
    }

    /** Issue 15 item 6: `TO_JSON J` takes a value of type-ref J; the Json builtins take a Json. */
    @Test
    void jsonIsBuiltFromItsTypeRefAndReadByItsBuiltins() {
        ok(f(Type.JSON, code().op(Opcode.CALL, 1).op(Opcode.TO_JSON, 0).op(Opcode.RET_R)));
        ok(f(Type.JSON, code().op(Opcode.SMALL_INT, 7).op(Opcode.BOX_INT).op(Opcode.TO_JSON, 1).op(Opcode.RET_R)));
        only(f(Type.JSON, code().op(Opcode.CONST, 0).op(Opcode.TO_JSON, 0).op(Opcode.RET_R)),
                "F0 `f` at 0003 TO_JSON: operand 1 of 1 must be User but is String; stack [String]");
        only(f(Type.JSON, code().op(Opcode.SMALL_INT, 7).op(Opcode.TO_JSON, 1).op(Opcode.RET_R)),
                "F0 `f` at 0003 TO_JSON: operand 1 of 1 must be Int but is P; stack [P]");
        ok(f(new Type.ResultOf(Type.JSON, Type.STRING), code().op(Opcode.CONST, 0).op(Opcode.BUILTIN, Builtin.JSON_PARSE.id())
                .op(Opcode.RET_R)));
        ok(f(Type.optionOf(Type.JSON), code().op(Opcode.CALL, 1).op(Opcode.TO_JSON, 0).op(Opcode.CONST, 0)
                .op(Opcode.BUILTIN, Builtin.JSON_GET.id()).op(Opcode.RET_R)));
        only(f(Type.optionOf(Type.JSON), code().op(Opcode.CONST, 0).op(Opcode.CONST, 0)
                        .op(Opcode.BUILTIN, Builtin.JSON_GET.id()).op(Opcode.RET_R)),
                "F0 `f` at 0006 BUILTIN: json_get (Json String -> Option<Json>): operand 1 of 2 must be Json but is String; "
                        + "stack [String String]");
        only(f(Type.STRING, code().op(Opcode.CONST, 0).op(Opcode.BUILTIN, Builtin.JSON_PARSE.id()).op(Opcode.RET_R)),
                "F0 `f` at 0006 RET_R: operand 1 of 1 must be String but is Result<Json, String>; stack [Result<Json, String>]");
        only(f(Type.JSON, code().op(Opcode.CALL, 1).op(Opcode.TO_JSON, 9).op(Opcode.RET_R)),
                "F0 `f` at 0003 TO_JSON: type reference J9 is outside the type references (2 entries)");
    }

    @Test
    void requestAnswersTheResponseRecord() {
        ok(f(Type.INT, code().op(Opcode.CONST, 0).op(Opcode.UNIT).op(Opcode.MAP_NEW, 0).op(Opcode.REQUEST, HttpMethod.GET.code())
                .op(Opcode.GET_FIELD, RESPONSE, 0).op(Opcode.UNBOX_INT).op(Opcode.RET_P)));
        // issue 15: the third operand is the request's headers, a Map<String>
        only(f(Type.INT, code().op(Opcode.CONST, 0).op(Opcode.UNIT).op(Opcode.CONST, 0).op(Opcode.REQUEST, HttpMethod.GET.code())
                .op(Opcode.GET_FIELD, RESPONSE, 0).op(Opcode.UNBOX_INT).op(Opcode.RET_P)),
                "F0 `f` at 0007 REQUEST: operand 3 of 3 must be Map<String> but is String; stack [String Unit String]");
    }

    @Test
    void valuesThatNestDeeperAroundALoopAreRefused() {
        // x = []; loop { x = [x] }: the type of x would grow without end
        var c = code();
        var top = c.newLabel();
        c.op(Opcode.LIST_NEW, 0).op(Opcode.STORE_R, 0).bind(top).op(Opcode.LOAD_R, 0).op(Opcode.LIST_NEW, 1).op(Opcode.STORE_R, 0)
                .jump(Opcode.LOOP, top);
        only(f(Type.UNIT, c),
                "F0 `f` at 0007 LIST_NEW: makes a value of a type larger than the verifier follows (256 nodes, nesting 64)");
    }

    @Test
    void nestingUpToTheLimitIsFollowed() {
        only(f(Type.UNIT, nested(Lattice.MAX_DEPTH + 1)),
                "F0 `f` at 0192 LIST_NEW: makes a value of a type larger than the verifier follows (256 nodes, nesting 64)");
        assertEquals(List.of(), messages(f(Type.UNIT, nested(Lattice.MAX_DEPTH))), "64 lists around Nothing: nesting 64");
    }

    /** `[[…[]…]]`: `lists` lists, each inside the next. */
    private static CodeBuilder nested(int lists) {
        var c = code().op(Opcode.LIST_NEW, 0);
        for (int i = 1; i < lists; i++) c.op(Opcode.LIST_NEW, 1);
        return c.op(Opcode.POP_R).op(Opcode.UNIT).op(Opcode.RET_R);
    }
}
