package dev.manaknight.lang.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Limits;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.SampleModules;
import dev.manaknight.lang.bytecode.TestCase;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per verifier rule: a valid module passes, a mutated one gets the expected message. */
class VerifierTest {
    private static final int DB = Capability.DB.bit();
    private static final Type USER = new Type.Named("User");
    private static final Type ROLE = new Type.Named("Role");

    /** Tables for scratch functions: #0 Int 7, #1 Float 1.0, #2 Str "s", #3 Dec 1.5; T0 User, T1 Role; J0 User; E0 db.findUser. */
    private static Module scratch(List<Function> functions, List<Route> routes, List<TestCase> tests) {
        return new Module(
                List.of(new Constant.IntConst(7), new Constant.FloatConst(1.0), new Constant.StrConst("s"),
                        new Constant.DecConst(new BigDecimal("1.5"))),
                List.of(SampleModules.USER, SampleModules.ROLE), List.of(new Type.Named("User")), functions,
                List.of(SampleModules.FIND_USER), routes, tests);
    }

    /** F0 `f` (params) -> result with the given code; F1 `callee` (Int, Unit) -> Int, uses { db }. */
    private static Module withF(List<Type> params, Type result, int locals, int maxStack, int caps, CodeBuilder code) {
        var callee = new CodeBuilder().op(Opcode.LOAD_P, 0).op(Opcode.RET_P);
        return scratch(List.of(
                SampleModules.function("f", "f.mnk", params, result, locals, maxStack, caps, code),
                SampleModules.function("callee", "f.mnk", List.of(Type.INT, Type.UNIT), Type.INT, 2, 1, DB, callee)), List.of(), List.of());
    }

    private static Module withF(CodeBuilder code) {
        return withF(List.of(), Type.INT, 4, 8, 0, code);
    }

    private static CodeBuilder code() {
        return new CodeBuilder();
    }

    private static List<String> messages(Module m) {
        return Verifier.verify(m).stream().map(VerifyError::message).toList();
    }

    private static void only(Module m, String... expected) {
        assertEquals(List.of(expected), messages(m));
    }

    @Test
    void samplesVerifyClean() {
        assertEquals(List.of(), Verifier.verify(SampleModules.seed()));
        assertEquals(List.of(), Verifier.verify(SampleModules.kitchenSink()));
        assertEquals(List.of(), Verifier.verify(withF(code().op(Opcode.SMALL_INT, 1).op(Opcode.RET_P))));
    }

    // --- constants ---------------------------------------------------------------------------

    @Test
    void constWantsStringOrDecimal() {
        assertEquals(List.of(), Verifier.verify(withF(List.of(), Type.DECIMAL, 0, 1, 0, code().op(Opcode.CONST, 3).op(Opcode.RET_R))));
        only(withF(List.of(), Type.STRING, 0, 1, 0, code().op(Opcode.CONST, 0).op(Opcode.RET_R)),
                "F0 `f` at 0000 CONST: #0 is an Int constant, not a String or Decimal constant");
    }

    @Test
    void constIntWantsInt() {
        only(withF(code().op(Opcode.CONST_INT, 2).op(Opcode.RET_P)), "F0 `f` at 0000 CONST_INT: #2 is a String constant, not an Int constant");
    }

    @Test
    void constFloatWantsFloat() {
        assertEquals(List.of(), messages(withF(code().op(Opcode.CONST_FLOAT, 1).op(Opcode.RET_P))));
        only(withF(code().op(Opcode.CONST_FLOAT, 0).op(Opcode.RET_P)), "F0 `f` at 0000 CONST_FLOAT: #0 is an Int constant, not a Float constant");
    }

    @Test
    void failAndExpectWantStrings() {
        only(withF(code().op(Opcode.FAIL, 3)), "F0 `f` at 0000 FAIL: #3 is a Decimal constant, not a String constant");
        only(withF(code().op(Opcode.TRUE).op(Opcode.EXPECT, 1).op(Opcode.SMALL_INT, 0).op(Opcode.RET_P)),
                "F0 `f` at 0001 EXPECT: #1 is a Float constant, not a String constant");
    }

    @Test
    void expectFailedWantsAStringConstantAndAStringFound() {
        // issue 15: the text a failed comparison found, built by the code, recorded with its source text
        int text = 2;
        assertEquals(List.of(), messages(withF(code().op(Opcode.CONST, text).op(Opcode.EXPECT_FAILED, text)
                .op(Opcode.SMALL_INT, 0).op(Opcode.RET_P))));
        only(withF(code().op(Opcode.CONST, text).op(Opcode.EXPECT_FAILED, 1).op(Opcode.SMALL_INT, 0).op(Opcode.RET_P)),
                "F0 `f` at 0003 EXPECT_FAILED: #1 is a Float constant, not a String constant");
        only(withF(code().op(Opcode.CONST, 3).op(Opcode.EXPECT_FAILED, text).op(Opcode.SMALL_INT, 0).op(Opcode.RET_P)),
                "F0 `f` at 0003 EXPECT_FAILED: operand 1 of 1 must be String but is Decimal; stack [Decimal]");
    }

    @Test
    void constantIndexInRange() {
        only(withF(code().op(Opcode.CONST_INT, 4).op(Opcode.RET_P)), "F0 `f` at 0000 CONST_INT: constant #4 is outside the constant pool (4 entries)");
    }

    // --- types, functions, effects, builtins ---------------------------------------------------

    @Test
    void recordOpsNameARecordAndAFieldInRange() {
        only(withF(List.of(), Type.STRING, 0, 4, 0, code().op(Opcode.RECORD_NEW, 1).op(Opcode.RET_R)),
                "F0 `f` at 0000 RECORD_NEW: type T1 (Role) is not a record");
        only(withF(List.of(), Type.STRING, 0, 4, 0, code().op(Opcode.RECORD_NEW, 2).op(Opcode.RET_R)),
                "F0 `f` at 0000 RECORD_NEW: type T2 is outside the type table (2 entries)");
        only(withF(List.of(Type.STRING), Type.STRING, 1, 4, 0, code().op(Opcode.LOAD_R, 0).op(Opcode.GET_FIELD, 0, 3).op(Opcode.RET_R)),
                "F0 `f` at 0002 GET_FIELD: field 3 is outside record User (3 fields)");
        only(withF(List.of(Type.STRING), Type.STRING, 1, 4, 0, code().op(Opcode.LOAD_R, 0).op(Opcode.LOAD_R, 0).op(Opcode.WITH_FIELD, 1, 0).op(Opcode.RET_R)),
                "F0 `f` at 0004 WITH_FIELD: type T1 (Role) is not a record");
    }

    @Test
    void enumNewNamesAnEnumAndAVariantInRange() {
        assertEquals(List.of(), messages(withF(List.of(), ROLE, 0, 4, 0, code().op(Opcode.ENUM_NEW, 1, 0).op(Opcode.RET_R))));
        only(withF(List.of(), Type.STRING, 0, 4, 0, code().op(Opcode.ENUM_NEW, 0, 0).op(Opcode.RET_R)),
                "F0 `f` at 0000 ENUM_NEW: type T0 (User) is not an enum");
        only(withF(List.of(), Type.STRING, 0, 4, 0, code().op(Opcode.ENUM_NEW, 1, 3).op(Opcode.RET_R)),
                "F0 `f` at 0000 ENUM_NEW: variant 3 is outside enum Role (3 variants)");
        // the payload count comes from the variant: suspended(reason) pops one R
        only(withF(List.of(), Type.STRING, 0, 4, 0, code().op(Opcode.ENUM_NEW, 1, 2).op(Opcode.RET_R)),
                "F0 `f` at 0000 ENUM_NEW: needs 1 value but the stack holds 0 []");
    }

    @Test
    void indicesOfFunctionsEffectsBuiltinsAndTypeRefsInRange() {
        only(withF(code().op(Opcode.CALL, 2).op(Opcode.RET_P)), "F0 `f` at 0000 CALL: function F2 is outside the function table (2 entries)");
        only(withF(List.of(), Type.STRING, 0, 4, DB, code().op(Opcode.EFFECT, 1).op(Opcode.RET_R)),
                "F0 `f` at 0000 EFFECT: effect E1 is outside the effect table (1 entries)");
        only(withF(code().op(Opcode.BUILTIN, Builtin.values().length).op(Opcode.RET_P)),
                "F0 `f` at 0000 BUILTIN: builtin " + Builtin.values().length + " does not exist (0.." + (Builtin.values().length - 1) + ")");
        only(withF(List.of(), Type.STRING, 0, 4, 0, code().op(Opcode.UNIT).op(Opcode.JSON, 1).op(Opcode.RET_R)),
                "F0 `f` at 0001 JSON: type reference J1 is outside the type references (1 entries)");
    }

    // --- decoding and control flow ---------------------------------------------------------------

    @Test
    void everyInstructionDecodesInsideTheCode() {
        assertEquals(List.of(), messages(withF(code().op(Opcode.TRUE).op(Opcode.RET_P).op(Opcode.NOP))),
                "unreachable code never runs, so it may end without a terminal instruction");
        Module bad = replaceCode(withF(code()), new byte[] {Opcode.TRUE.code(), (byte) 0xEE});
        only(bad, "F0 `f` at 0001: byte 0xEE is not an opcode");
        Module cut = replaceCode(withF(code()), new byte[] {Opcode.TRUE.code(), Opcode.SMALL_INT.code(), 0});
        only(cut, "F0 `f` at 0001 SMALL_INT: needs 3 bytes but the code ends after 2");
    }

    @Test
    void jumpsGoForwardLoopsBackward() {
        var c = code();
        var top = c.newLabel();
        c.bind(top).op(Opcode.TRUE).op(Opcode.POP_P).jump(Opcode.JUMP, top);
        only(withF(c), "F0 `f` at 0002 JUMP: target 0 is backward; JUMP must jump forward (loops use LOOP)");

        var d = code();
        var ahead = d.newLabel();
        d.jump(Opcode.LOOP, ahead).bind(ahead).op(Opcode.SMALL_INT, 0).op(Opcode.RET_P);
        only(withF(d), "F0 `f` at 0000 LOOP: target 3 is forward; LOOP must jump backward");

        var self = code();
        var here = self.newLabel();
        self.bind(here).jump(Opcode.LOOP, here);
        assertEquals(List.of(), messages(withF(self)), "a LOOP to itself is allowed: it pays fuel each time");
    }

    @Test
    void targetsAreInstructionStarts() {
        // JUMP_IF_FALSE to 5, the middle of SMALL_INT at 4..6
        byte[] code = {Opcode.TRUE.code(), Opcode.JUMP_IF_FALSE.code(), 0, 5, Opcode.SMALL_INT.code(), 0, 1, Opcode.RET_P.code()};
        only(replaceCode(withF(code()), code), "F0 `f` at 0001 JUMP_IF_FALSE: target 5 is not the start of an instruction");
        byte[] beyond = {Opcode.JUMP.code(), 0, 9, Opcode.SMALL_INT.code(), 0, 1, Opcode.RET_P.code()};
        only(replaceCode(withF(code()), beyond), "F0 `f` at 0000 JUMP: target 9 is not the start of an instruction");
    }

    @Test
    void codeCannotFallOffItsEnd() {
        only(withF(code().op(Opcode.SMALL_INT, 1)), "F0 `f` at 0000 SMALL_INT: control falls off the end of the code");
        // only one branch falls off
        var c = code();
        var other = c.newLabel();
        c.op(Opcode.TRUE).jump(Opcode.JUMP_IF_TRUE, other).op(Opcode.SMALL_INT, 1).op(Opcode.RET_P).bind(other).op(Opcode.NOP);
        only(withF(c), "F0 `f` at 0008 NOP: control falls off the end of the code");
        only(replaceCode(withF(code()), new byte[0]), "F0 `f` has no code: control falls off its end at once");
    }

    // --- stack kinds --------------------------------------------------------------------------------

    @Test
    void underflow() {
        only(withF(code().op(Opcode.SMALL_INT, 1).op(Opcode.ADD_INT).op(Opcode.RET_P)),
                "F0 `f` at 0003 ADD_INT: needs 2 values but the stack holds 1 [P]");
    }

    @Test
    void kindMismatch() {
        only(withF(code().op(Opcode.SMALL_INT, 1).op(Opcode.UNIT).op(Opcode.ADD_INT).op(Opcode.RET_P)),
                "F0 `f` at 0004 ADD_INT: operand 2 of 2 must be P but is Unit; stack [P Unit]");
        only(withF(List.of(), Type.STRING, 0, 4, 0, code().op(Opcode.SMALL_INT, 1).op(Opcode.TEXT).op(Opcode.RET_R)),
                "F0 `f` at 0003 TEXT: operand 1 of 1 must be String but is P; stack [P]");
    }

    @Test
    void builtinsPopAndPushWhatTheTableSays() {
        assertEquals(List.of(), messages(withF(List.of(), Type.INT, 0, 4, 0,
                code().op(Opcode.CONST, 3).op(Opcode.SMALL_INT, 2).op(Opcode.BUILTIN, Builtin.DEC_ROUND.id())
                        .op(Opcode.BUILTIN, Builtin.DEC_TO_FLOAT.id()).op(Opcode.RET_P))));
        only(withF(code().op(Opcode.SMALL_INT, 2).op(Opcode.CONST, 3).op(Opcode.BUILTIN, Builtin.DEC_ROUND.id()).op(Opcode.RET_P)),
                "F0 `f` at 0006 BUILTIN: dec_round (Decimal Int -> Decimal): operand 1 of 2 must be Decimal but is P; stack [P Decimal]");
        // the operand types, not only their lanes: a String is no Decimal
        only(withF(code().op(Opcode.CONST, 2).op(Opcode.SMALL_INT, 2).op(Opcode.BUILTIN, Builtin.DEC_ROUND.id()).op(Opcode.RET_P)),
                "F0 `f` at 0006 BUILTIN: dec_round (Decimal Int -> Decimal): operand 1 of 2 must be Decimal but is String; stack [String P]");
    }

    @Test
    void joinsNeedTheSameStack() {
        var c = code();
        var elseL = c.newLabel();
        var join = c.newLabel();
        c.op(Opcode.TRUE).jump(Opcode.JUMP_IF_FALSE, elseL).op(Opcode.SMALL_INT, 1).jump(Opcode.JUMP, join)
                .bind(elseL).op(Opcode.UNIT).bind(join).op(Opcode.POP_R).op(Opcode.SMALL_INT, 0).op(Opcode.RET_P);
        // one message: the join is not interpreted further, so POP_R does not also complain
        only(withF(c), "F0 `f` at 0011 POP_R: paths join with different stacks: [P] and [Unit]");

        var h = code();
        var skip = h.newLabel();
        h.op(Opcode.SMALL_INT, 5).op(Opcode.TRUE).jump(Opcode.JUMP_IF_FALSE, skip).op(Opcode.SMALL_INT, 6)
                .bind(skip).op(Opcode.RET_P);
        only(withF(h), "F0 `f` at 0010 RET_P: paths join with different stacks: [P] and [P P]");
    }

    @Test
    void declaredMaxStackMustSuffice() {
        only(withF(List.of(), Type.INT, 0, 1, 0, code().op(Opcode.SMALL_INT, 1).op(Opcode.SMALL_INT, 2).op(Opcode.ADD_INT).op(Opcode.RET_P)),
                "F0 `f` at 0003 SMALL_INT: stack depth 2 exceeds the declared maxStack 1");
    }

    @Test
    void returnKindMatchesTheResult() {
        only(withF(List.of(), Type.STRING, 0, 2, 0, code().op(Opcode.SMALL_INT, 1).op(Opcode.RET_P)),
                "F0 `f` at 0003 RET_P: returns P but the function's result is String");
        only(withF(List.of(), Type.STRING, 0, 2, 0, code().op(Opcode.CONST, 3).op(Opcode.RET_R)),
                "F0 `f` at 0003 RET_R: operand 1 of 1 must be String but is Decimal; stack [Decimal]");
    }

    @Test
    void callArgumentsMatchTheCallee() {
        var ok = code().op(Opcode.SMALL_INT, 1).op(Opcode.UNIT).op(Opcode.CALL, 1).op(Opcode.RET_P);
        assertEquals(List.of(), messages(withF(List.of(), Type.INT, 0, 2, DB, ok)));
        var swapped = code().op(Opcode.UNIT).op(Opcode.SMALL_INT, 1).op(Opcode.CALL, 1).op(Opcode.RET_P);
        only(withF(List.of(), Type.INT, 0, 2, DB, swapped), "F0 `f` at 0004 CALL: operand 1 of 2 must be P but is Unit; stack [Unit P]");
    }

    // --- locals -------------------------------------------------------------------------------------

    @Test
    void slotsAreInsideTheLocals() {
        only(withF(List.of(), Type.INT, 2, 2, 0, code().op(Opcode.SMALL_INT, 1).op(Opcode.STORE_P, 2).op(Opcode.SMALL_INT, 0).op(Opcode.RET_P)),
                "F0 `f` at 0003 STORE_P: slot 2 is outside the function's 2 locals");
    }

    @Test
    void parametersStartWithTheirTypes() {
        assertEquals(List.of(), messages(withF(List.of(Type.INT, Type.STRING), Type.STRING, 2, 1, 0, code().op(Opcode.LOAD_R, 1).op(Opcode.RET_R))));
        only(withF(List.of(Type.INT, Type.STRING), Type.STRING, 2, 1, 0, code().op(Opcode.LOAD_R, 0).op(Opcode.RET_R)),
                "F0 `f` at 0000 LOAD_R: slot 0 holds P");
        only(withF(List.of(Type.INT, USER), Type.STRING, 2, 1, 0, code().op(Opcode.LOAD_R, 1).op(Opcode.RET_R)),
                "F0 `f` at 0002 RET_R: operand 1 of 1 must be String but is User; stack [User]");
    }

    @Test
    void loadNeedsADefiniteAssignment() {
        only(withF(code().op(Opcode.LOAD_P, 1).op(Opcode.RET_P)), "F0 `f` at 0000 LOAD_P: slot 1 is not assigned on every path to here");
        // assigned on one branch only
        var c = code();
        var skip = c.newLabel();
        c.op(Opcode.TRUE).jump(Opcode.JUMP_IF_FALSE, skip).op(Opcode.SMALL_INT, 3).op(Opcode.STORE_P, 0)
                .bind(skip).op(Opcode.LOAD_P, 0).op(Opcode.RET_P);
        only(withF(c), "F0 `f` at 0009 LOAD_P: slot 0 is not assigned on every path to here");
    }

    @Test
    void differingTypesMakeASlotUnusable() {
        var c = code();
        var elseL = c.newLabel();
        var join = c.newLabel();
        c.op(Opcode.TRUE).jump(Opcode.JUMP_IF_FALSE, elseL).op(Opcode.SMALL_INT, 1).op(Opcode.STORE_P, 0).jump(Opcode.JUMP, join)
                .bind(elseL).op(Opcode.UNIT).op(Opcode.STORE_R, 0)
                .bind(join).op(Opcode.LOAD_P, 0).op(Opcode.RET_P);
        only(withF(c), "F0 `f` at 0015 LOAD_P: slot 0 holds values of different types on different paths");
    }

    @Test
    void aLoopBackEdgeIsMergedToAFixpoint() {
        // slot 0 is P when the loop starts, but the body stores an R into it before looping back
        var c = code();
        var top = c.newLabel();
        var end = c.newLabel();
        c.op(Opcode.SMALL_INT, 0).op(Opcode.STORE_P, 0)
                .bind(top).op(Opcode.LOAD_P, 0).jump(Opcode.JUMP_IF_FALSE, end)
                .op(Opcode.UNIT).op(Opcode.STORE_R, 0).jump(Opcode.LOOP, top)
                .bind(end).op(Opcode.SMALL_INT, 0).op(Opcode.RET_P);
        only(withF(c), "F0 `f` at 0005 LOAD_P: slot 0 holds values of different types on different paths");
    }

    // --- capabilities ----------------------------------------------------------------------------

    @Test
    void effectNeedsTheCapability() {
        var c = code().op(Opcode.SMALL_INT, 1).op(Opcode.BOX_INT).op(Opcode.EFFECT, 0).op(Opcode.RET_R);
        Type found = Type.optionOf(USER);
        assertEquals(List.of(), messages(withF(List.of(), found, 0, 1, DB, c)));
        only(withF(List.of(), found, 0, 1, Capability.LOG.bit(), c),
                "F0 `f` at 0004 EFFECT: E0 db.findUser needs capability `db`, which this function does not declare "
                        + "(effect operations not declared by the route)");
    }

    @Test
    void callNeedsTheCalleesCapabilities() {
        var c = code().op(Opcode.SMALL_INT, 1).op(Opcode.UNIT).op(Opcode.CALL, 1).op(Opcode.RET_P);
        only(withF(List.of(), Type.INT, 0, 2, 0, c), "F0 `f` at 0004 CALL: calls F1 `callee`, which uses { db } not declared by this function");
    }

    // --- routes and tests --------------------------------------------------------------------------

    private static Route route(int handler, List<Route.Input> inputs, int caps) {
        return new Route(HttpMethod.GET, "/users/:id", handler, inputs, caps, List.of(), "users.mnk", 3);
    }

    private static Module withRoute(Route r) {
        Module seed = SampleModules.seed();
        return new Module(seed.constants(), seed.types(), seed.typeRefs(), seed.functions(), seed.effects(), List.of(r), seed.tests());
    }

    @Test
    void routeHandlerExists() {
        only(withRoute(route(9, List.of(), DB)), "route GET /users/:id: handler names function F9, outside the function table (3 entries)");
    }

    @Test
    void routeInputsMatchTheHandlerParameters() {
        only(withRoute(route(0, List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.STRING, null)), DB)),
                "route GET /users/:id: handler F0 `GET /users/:id` takes [Int] but the inputs are [String]");
        only(withRoute(route(0, List.of(), DB)), "route GET /users/:id: handler F0 `GET /users/:id` takes [Int] but the inputs are []");
        only(withRoute(route(0, List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.FLOAT, null)), DB)),
                "route GET /users/:id: handler F0 `GET /users/:id` takes [Int] but the inputs are [Float]");
    }

    /** Issue 15: the runtime hands a `raw` input the body's text, a String, whatever the module says. */
    @Test
    void aRawInputIsAString() {
        only(withRoute(route(0, List.of(new Route.Input(Route.Source.RAW, "id", "id", Type.INT, null)), DB)),
                "route GET /users/:id input id: a raw input is a String, not Int");
    }

    @Test
    void routeDeclaresTheHandlersCapabilities() {
        only(withRoute(route(0, List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.INT, null)), Capability.LOG.bit())),
                "route GET /users/:id: handler F0 uses { db }, which the route does not declare");
    }

    @Test
    void testsNameAFunctionWithoutParameters() {
        Module seed = SampleModules.seed();
        Module m = new Module(seed.constants(), seed.types(), seed.typeRefs(), seed.functions(), seed.effects(), seed.routes(),
                List.of(new TestCase("a", 7, 0, "t.mnk", 1), new TestCase("b", 0, DB, "t.mnk", 2)));
        assertEquals(List.of("test \"a\" names function F7, outside the function table (3 entries)",
                "test \"b\": function F0 `GET /users/:id` takes parameters [Int]; a test takes none",
                "F0 `GET /users/:id` at 0025 RESPOND: a response is not allowed in code a test can reach",
                "F0 `GET /users/:id` at 0031 RESPOND: a response is not allowed in code a test can reach"), messages(m));
    }

    @Test
    void requestIsNotReachableFromAHandler() {
        // the handler calls the test function, which issues REQUEST
        Module seed = SampleModules.seed();
        var handler = code().op(Opcode.CALL, 2).op(Opcode.POP_R).op(Opcode.SMALL_INT, 200).op(Opcode.UNIT).op(Opcode.RESPOND, 0);
        var fs = new ArrayList<>(seed.functions());
        fs.set(0, SampleModules.function("GET /users/:id", "users.mnk", List.of(Type.INT), Type.STRING, 1, 2, DB, handler));
        Module m = new Module(seed.constants(), seed.types(), seed.typeRefs(), fs, seed.effects(), seed.routes(), seed.tests());
        only(m, "F2 `test \"unknown user is 404\"` at 0007 REQUEST: test requests are not allowed in code a route handler "
                + "can reach");
    }

    @Test
    void respondIsNotReachableFromATest() {
        // issue 15: a guard may respond, so RESPOND may stand outside a handler; but a test's run must
        // end by returning. Here the test calls the handler, which responds.
        Module seed = SampleModules.seed();
        var test = code().op(Opcode.SMALL_INT, 1).op(Opcode.CALL, 0).op(Opcode.POP_R).op(Opcode.UNIT).op(Opcode.RET_R);
        var fs = new ArrayList<>(seed.functions());
        fs.set(2, SampleModules.function("test \"calls the handler\"", "users.mnk", List.of(), Type.UNIT, 0, 2, DB, test));
        Module m = new Module(seed.constants(), seed.types(), seed.typeRefs(), fs, seed.effects(), seed.routes(), seed.tests());
        only(m, "F0 `GET /users/:id` at 0025 RESPOND: a response is not allowed in code a test can reach",
                "F0 `GET /users/:id` at 0031 RESPOND: a response is not allowed in code a test can reach");
    }

    @Test
    void respondKeepNeedsTheDbCapability() {
        // issue 14: `respond keep` keeps a 4xx request's writes; the verifier holds the checker's rule
        // that it stands only where there are writes to keep, and treats it like RESPOND otherwise.
        var keep = code().op(Opcode.SMALL_INT, 409).op(Opcode.UNIT).op(Opcode.RESPOND_KEEP, 0);
        assertEquals(List.of(), messages(withF(List.of(), Type.UNIT, 0, 2, DB, keep)));
        var without = code().op(Opcode.SMALL_INT, 409).op(Opcode.UNIT).op(Opcode.RESPOND_KEEP, 0);
        only(withF(List.of(), Type.UNIT, 0, 2, 0, without),
                "F0 `f` at 0004 RESPOND_KEEP: keeps the request's database writes, but this function does not declare `db`");
        var body = code().op(Opcode.SMALL_INT, 409).op(Opcode.CONST_INT, 0).op(Opcode.RESPOND_KEEP, 0);
        only(withF(List.of(), Type.UNIT, 0, 2, DB, body),
                "F0 `f` at 0006 RESPOND_KEEP: operand 2 of 2 must be a Body or Unit but is P; stack [P P]");
    }

    @Test
    void respondKeepIsNotReachableFromATest() {
        Module seed = SampleModules.seed();
        var guard = code().op(Opcode.SMALL_INT, 409).op(Opcode.UNIT).op(Opcode.RESPOND_KEEP, 0);
        var test = code().op(Opcode.CALL, 3).op(Opcode.POP_R).op(Opcode.UNIT).op(Opcode.RET_R);
        var fs = new ArrayList<>(seed.functions());
        fs.set(2, SampleModules.function("test \"calls a guard\"", "users.mnk", List.of(), Type.UNIT, 0, 2, DB, test));
        fs.add(SampleModules.function("guard", "users.mnk", List.of(), Type.UNIT, 0, 2, DB, guard));
        Module m = new Module(seed.constants(), seed.types(), seed.typeRefs(), fs, seed.effects(), seed.routes(), seed.tests());
        only(m, "F3 `guard` at 0004 RESPOND_KEEP: a response is not allowed in code a test can reach");
    }

    // --- limits -----------------------------------------------------------------------------------

    @Test
    void limits() {
        var ret = code().op(Opcode.SMALL_INT, 0).op(Opcode.RET_P);
        only(withF(List.of(), Type.INT, Limits.MAX_LOCALS + 1, 1, 0, ret),
                "F0 `f` declares 257 locals, outside 0..Limits.MAX_LOCALS (256)");
        only(withF(List.of(), Type.INT, 0, Limits.MAX_STACK + 1, 0, ret),
                "F0 `f` declares maxStack 1025, outside 0..Limits.MAX_STACK (1024)");
        var params = new ArrayList<Type>();
        for (int i = 0; i <= Limits.MAX_PARAMS; i++) params.add(Type.INT);
        only(withF(params, Type.INT, Limits.MAX_PARAMS + 1, 1, 0, ret), "F0 `f` has 65 parameters, more than Limits.MAX_PARAMS (64)");
        byte[] big = new byte[Limits.MAX_CODE + 1]; // NOPs ...
        big[big.length - 4] = Opcode.SMALL_INT.code();
        big[big.length - 1] = Opcode.RET_P.code();
        only(replaceCode(withF(code()), big), "F0 `f` has 65536 code bytes, more than Limits.MAX_CODE (65535)");
        only(withF(List.of(Type.INT, Type.INT), Type.INT, 1, 1, 0, ret), "F0 `f` has 2 parameters but only 1 local slots to hold them");
    }

    // --- module level ------------------------------------------------------------------------------

    @Test
    void namedTypesResolveAndTablesAreConsistent() {
        Module seed = SampleModules.seed();
        var effects = List.of(new EffectOp(Capability.DB, "findUser", List.of(new EffectOp.Param("id", Type.INT)),
                Type.optionOf(new Type.Named("Usr")), null));
        var types = List.<TypeDef>of(SampleModules.USER, SampleModules.USER);
        Module m = new Module(seed.constants(), types, List.of(Type.listOf(new Type.Named("Nope"))), seed.functions(), effects,
                seed.routes(), seed.tests());
        assertEquals(List.of("type User is declared twice in the type table",
                "type reference J0 names type Nope, which is not in the type table",
                "effect E0 db.findUser result names type Usr, which is not in the type table",
                "effect E0 db.findUser is a query without SQL text"), messages(m));
    }

    @Test
    void routeManifestIsConsistent() {
        Module seed = SampleModules.seed();
        Route r = seed.routes().getFirst();
        Route twice = new Route(r.method(), r.path(), r.handler(), r.inputs(), r.capabilities() | 1 << 9,
                List.of(new Route.Response(999, Route.BodyKind.NONE, null), new Route.Response(200, Route.BodyKind.JSON, null)),
                r.file(), r.line());
        var effects = List.of(SampleModules.FIND_USER, new EffectOp(Capability.CLOCK, "now", List.of(), Type.INT, "SELECT 1"));
        Module m = new Module(seed.constants(), seed.types(), seed.typeRefs(), seed.functions(), effects, List.of(r, twice), seed.tests());
        assertEquals(List.of("effect E1 clock.now is not a db operation but carries SQL text",
                "route GET /users/:id is declared twice",
                "route GET /users/:id: capability bits 0x200 name no capability",
                "route GET /users/:id declares response status 999, outside 100..599",
                "route GET /users/:id response 200 is JSON without a type"), messages(m));
    }

    @Test
    void requestNamesAMethodAndCapabilityBitsAreKnown() {
        only(withF(List.of(), Type.STRING, 0, 3, 0,
                        code().op(Opcode.CONST, 2).op(Opcode.UNIT).op(Opcode.MAP_NEW, 0).op(Opcode.REQUEST, 5).op(Opcode.RET_R)),
                "F0 `f` at 0007 REQUEST: method 5 is no HTTP method",
                "F0 `f` at 0007 REQUEST: needs the record $Response [status: Int, headers: Map<String>, body: String] "
                        + "in the type table");
        only(withF(List.of(), Type.INT, 0, 1, 1 << 7, code().op(Opcode.SMALL_INT, 0).op(Opcode.RET_P)),
                "F0 `f` capability bits 0x80 name no capability");
    }

    @Test
    void lineTablesAreAscendingInsideTheCode() {
        Module m = withF(code().op(Opcode.SMALL_INT, 0).op(Opcode.RET_P));
        Function f = m.functions().getFirst();
        Function bad = new Function(f.name(), f.file(), f.params(), f.result(), f.locals(), f.maxStack(), f.capabilities(), f.code(),
                new int[] {0, 1, 0, 2});
        only(replace(m, bad), "F0 `f` line table entry 1 has pc 0, not ascending inside the code (0..4)");
        Function past = new Function(f.name(), f.file(), f.params(), f.result(), f.locals(), f.maxStack(), f.capabilities(), f.code(),
                new int[] {0, 1, 5, 2});
        only(replace(m, past), "F0 `f` line table entry 1 has pc 5, not ascending inside the code (0..4)");
        Function atEnd = new Function(f.name(), f.file(), f.params(), f.result(), f.locals(), f.maxStack(), f.capabilities(), f.code(),
                new int[] {0, 1, 4, 2});
        assertEquals(List.of(), messages(replace(m, atEnd)), "a line set after the last instruction is harmless");
    }

    @Test
    void everyProblemIsCollectedInOneRun() {
        // three independent problems in F0, one in a route, one in a test
        var c = code().op(Opcode.CONST_INT, 2).op(Opcode.POP_P).op(Opcode.LOAD_P, 3).op(Opcode.RET_P).op(Opcode.BUILTIN, 999);
        Module m = withF(c);
        m = new Module(m.constants(), m.types(), m.typeRefs(), m.functions(), m.effects(),
                List.of(new Route(HttpMethod.GET, "/", 5, List.of(), 0, List.of(), "f.mnk", 1)), List.of(new TestCase("t", 1, DB, "f.mnk", 2)));
        List<VerifyError> errors = Verifier.verify(m);
        assertEquals(List.of(
                "F0 `f` at 0000 CONST_INT: #2 is a String constant, not an Int constant",
                "F0 `f` at 0007 BUILTIN: builtin 999 does not exist (0.." + (Builtin.values().length - 1) + ")",
                "F0 `f` at 0004 LOAD_P: slot 3 is not assigned on every path to here",
                "route GET /: handler names function F5, outside the function table (2 entries)",
                "test \"t\": function F1 `callee` takes parameters [Int, Unit]; a test takes none"),
                errors.stream().map(VerifyError::message).toList());
        assertEquals(new VerifyError(0, 4, errors.get(2).message()), errors.get(2), "function index and pc are data too");
        assertEquals(-1, errors.get(3).function());
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static Module replaceCode(Module m, byte[] code) {
        Function f = m.functions().getFirst();
        return replace(m, new Function(f.name(), f.file(), f.params(), f.result(), f.locals(), f.maxStack(), f.capabilities(), code, new int[0]));
    }

    private static Module replace(Module m, Function f0) {
        var fs = new ArrayList<>(m.functions());
        fs.set(0, f0);
        return new Module(m.constants(), m.types(), m.typeRefs(), fs, m.effects(), m.routes(), m.tests());
    }
}
