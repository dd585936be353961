package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Hand-built modules shared by the format, disassembler, verifier and fuzz tests; each verifies clean. */
public final class SampleModules {
    private SampleModules() {}

    public static final String USERS_MNK = """
            type User { id: Int, name: String, email: String }

            api GET /users/:id {
              uses { db }

              match db.findUser(id) {
                some(user) -> respond json(user)
                none -> respond status 404
              }
            }

            test "unknown user is 404" {
              let r = request GET "/users/999"
              expect r.status == 404
            }
            """;

    public static final TypeDef.RecordDef USER = new TypeDef.RecordDef("User", List.of(
            new TypeDef.FieldDef("id", Type.INT), new TypeDef.FieldDef("name", Type.STRING),
            new TypeDef.FieldDef("email", Type.STRING)));

    public static final TypeDef.EnumDef ROLE = new TypeDef.EnumDef("Role", List.of(
            new TypeDef.VariantDef("admin", List.of()), new TypeDef.VariantDef("member", List.of()),
            new TypeDef.VariantDef("suspended", List.of(new TypeDef.FieldDef("reason", Type.STRING)))));

    public static final EffectOp FIND_USER = new EffectOp(Capability.DB, "findUser",
            List.of(new EffectOp.Param("id", Type.INT)), Type.optionOf(new Type.Named("User")),
            "SELECT id, name, email FROM users WHERE id = :id");

    /** The sources the seed module's functions point at (`names.mnk` deliberately missing). */
    public static SourceFile source(String name) {
        return name.equals("users.mnk") ? new SourceFile("users.mnk", USERS_MNK) : null;
    }

    /** The seed handler `GET /users/:id`, a pure helper, and a test: the shape the compiler emits for the seed program. */
    public static Module seed() {
        var handler = new CodeBuilder();
        var none = handler.newLabel();
        handler.line(6)
                .op(Opcode.LOAD_P, 0).op(Opcode.BOX_INT).op(Opcode.EFFECT, 0).op(Opcode.STORE_R, 1)
                .op(Opcode.LOAD_R, 1).op(Opcode.VARIANT).jump(Opcode.JUMP_IF_FALSE, none)
                .line(7)
                .op(Opcode.SMALL_INT, 200).op(Opcode.LOAD_R, 1).op(Opcode.PAYLOAD, 1, 0).op(Opcode.JSON, 0).op(Opcode.RESPOND, 0)
                .bind(none).line(8)
                .op(Opcode.SMALL_INT, 404).op(Opcode.UNIT).op(Opcode.RESPOND, 0);

        var display = new CodeBuilder().line(2)
                .op(Opcode.LOAD_R, 0).op(Opcode.GET_FIELD, 0, 1).op(Opcode.CONST, 0)
                .op(Opcode.LOAD_R, 0).op(Opcode.GET_FIELD, 0, 2).op(Opcode.CONST, 1)
                .op(Opcode.CONCAT, 4).op(Opcode.RET_R);

        var test = new CodeBuilder().line(13)
                .op(Opcode.CONST, 2).op(Opcode.UNIT).op(Opcode.MAP_NEW, 0).op(Opcode.REQUEST, HttpMethod.GET.code())
                .op(Opcode.POP_R)
                .line(14)
                .op(Opcode.SMALL_INT, 404).op(Opcode.CONST_INT, 3).op(Opcode.EQ_INT).op(Opcode.EXPECT, 4)
                .op(Opcode.UNIT).op(Opcode.RET_R);

        return new Module(
                List.of(new Constant.StrConst(" <"), new Constant.StrConst(">"), new Constant.StrConst("/users/999"),
                        new Constant.IntConst(404), new Constant.StrConst("r.status == 404")),
                List.of(USER, TypeDef.RESPONSE),
                List.of(new Type.Named("User")),
                List.of(
                        function("GET /users/:id", "users.mnk", List.of(Type.INT), Type.UNIT, 2, 4, Capability.DB.bit(), handler),
                        function("displayName", "names.mnk", List.of(new Type.Named("User")), Type.STRING, 1, 4, 0, display),
                        function("test \"unknown user is 404\"", "users.mnk", List.of(), Type.UNIT, 0, 3, Capability.DB.bit(),
                                test)),
                List.of(FIND_USER),
                List.of(new Route(HttpMethod.GET, "/users/:id", 0,
                        List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.INT, null)),
                        Capability.DB.bit(),
                        List.of(new Route.Response(200, Route.BodyKind.JSON, new Type.Named("User")),
                                new Route.Response(404, Route.BodyKind.NONE, null)),
                        "users.mnk", 3)),
                List.of(new TestCase("unknown user is 404", 2, Capability.DB.bit(), "users.mnk", 12)));
    }

    /** Loops, locals, records, enums, lists, maps, builtins, calls: a module touching most opcodes. */
    public static Module kitchenSink() {
        // F0 sum(n: Int): Int — a counted loop.
        var sum = new CodeBuilder().line(1);
        var top = sum.newLabel();
        var end = sum.newLabel();
        sum.op(Opcode.SMALL_INT, 0).op(Opcode.STORE_P, 1).op(Opcode.SMALL_INT, 0).op(Opcode.STORE_P, 2)
                .bind(top).line(2)
                .op(Opcode.LOAD_P, 2).op(Opcode.LOAD_P, 0).op(Opcode.LT_INT).jump(Opcode.JUMP_IF_FALSE, end)
                .op(Opcode.LOAD_P, 1).op(Opcode.LOAD_P, 2).op(Opcode.ADD_INT).op(Opcode.STORE_P, 1)
                .op(Opcode.LOAD_P, 2).op(Opcode.SMALL_INT, 1).op(Opcode.ADD_INT).op(Opcode.STORE_P, 2)
                .jump(Opcode.LOOP, top)
                .bind(end).line(3)
                .op(Opcode.LOAD_P, 1).op(Opcode.RET_P);

        // F1 make(reason: String): Role — records, enums, with.
        var make = new CodeBuilder().line(5)
                .op(Opcode.SMALL_INT, 1).op(Opcode.BOX_INT).op(Opcode.CONST, 0).op(Opcode.CONST, 1)
                .op(Opcode.RECORD_NEW, 0).op(Opcode.SMALL_INT, 7).op(Opcode.BOX_INT).op(Opcode.WITH_FIELD, 0, 0)
                .op(Opcode.STORE_R, 1)
                .op(Opcode.LOAD_R, 0).op(Opcode.ENUM_NEW, 1, 2).op(Opcode.RET_R);

        // F2 misc(): Decimal — collections, builtins, calls, if/else joining with equal stacks.
        var misc = new CodeBuilder().line(9);
        var elseL = misc.newLabel();
        var join = misc.newLabel();
        misc.op(Opcode.CONST, 0).op(Opcode.CONST, 1).op(Opcode.MAP_NEW, 1)
                .op(Opcode.CONST, 0).op(Opcode.BUILTIN, Builtin.MAP_HAS.id()).op(Opcode.STORE_P, 0)
                .op(Opcode.SMALL_INT, 1).op(Opcode.BOX_INT).op(Opcode.SMALL_INT, 2).op(Opcode.BOX_INT).op(Opcode.LIST_NEW, 2)
                .op(Opcode.BUILTIN, Builtin.LIST_IS_EMPTY.id()).op(Opcode.POP_P)
                .op(Opcode.SMALL_INT, 10).op(Opcode.CALL, 0).op(Opcode.STORE_P, 1)
                .op(Opcode.LOAD_P, 0).jump(Opcode.JUMP_IF_FALSE, elseL)
                .op(Opcode.CONST, 2).jump(Opcode.JUMP, join)
                .bind(elseL)
                .op(Opcode.LOAD_P, 1).op(Opcode.BUILTIN, Builtin.INT_TO_DECIMAL.id())
                .bind(join).line(10)
                .op(Opcode.CONST_FLOAT, 3).op(Opcode.POP_P)
                .op(Opcode.RET_R);

        // F3 boom(): Unit — a failing function.
        var boom = new CodeBuilder().line(12).op(Opcode.FAIL, 4);

        return new Module(
                List.of(new Constant.StrConst("a"), new Constant.StrConst("b"), new Constant.DecConst(new BigDecimal("2.50")),
                        new Constant.FloatConst(1.5e3), new Constant.StrConst("boom: \"quoted\"\n")),
                List.of(USER, ROLE),
                List.of(Type.listOf(new Type.Named("User"))),
                List.of(function("sum", "sink.mnk", List.of(Type.INT), Type.INT, 3, 2, 0, sum),
                        function("make", "sink.mnk", List.of(Type.STRING), new Type.Named("Role"), 2, 4, 0, make),
                        function("misc", "sink.mnk", List.of(), Type.DECIMAL, 2, 3, 0, misc),
                        function("boom", "sink.mnk", List.of(), Type.UNIT, 0, 0, 0, boom)),
                List.of(),
                List.of(),
                List.of());
    }

    /**
     * Every shape the format can hold: each Type constructor, each Constant (NaN, -0.0, signed
     * decimals with scale, non-BMP text), each input source, each body kind, absent optionals.
     * Its code is trivial; it need not verify.
     */
    public static Module everyShape() {
        Type deep = new Type.ResultOf(new Type.MapOf(new Type.ListOf(new Type.OptionOf(new Type.Named("User")))), Type.JSON);
        var types = new ArrayList<Type>(List.of(Type.Prim.values()));
        types.add(deep);
        var ret = new CodeBuilder().line(1).op(Opcode.UNIT).op(Opcode.RET_R);
        return new Module(
                List.of(new Constant.IntConst(Long.MIN_VALUE), new Constant.IntConst(-1), new Constant.FloatConst(Double.NaN),
                        new Constant.FloatConst(-0.0), new Constant.FloatConst(Double.NEGATIVE_INFINITY),
                        new Constant.FloatConst(Double.longBitsToDouble(0x7FF8_0000_0000_0123L)),
                        new Constant.StrConst(""), new Constant.StrConst("héllo 🦀 wörld\u0000"),
                        new Constant.DecConst(new BigDecimal("-12345678901234567890.0050")),
                        new Constant.DecConst(new BigDecimal("1E+5")), new Constant.DecConst(BigDecimal.ZERO)),
                List.of(USER, ROLE, new TypeDef.RecordDef("Empty", List.of())),
                types,
                List.of(function("f", null, List.of(Type.INT, deep), Type.UNIT, 2, 1, 0b1111, ret),
                        new Function("g", "g.mnk", List.of(), Type.BOOL, 0, 0, 0, new byte[0], new int[0])),
                List.of(FIND_USER,
                        new EffectOp(Capability.LOG, "info", List.of(new EffectOp.Param("message", Type.STRING)), Type.UNIT, null),
                        new EffectOp(Capability.CLOCK, "now", List.of(), Type.INT, null),
                        new EffectOp(Capability.RANDOM, "uuid", List.of(), Type.STRING, null)),
                List.of(new Route(HttpMethod.POST, "/accounts/:id/transfers", 0, List.of(
                                new Route.Input(Route.Source.PATH, "id", "id", Type.INT, null),
                                new Route.Input(Route.Source.QUERY, "dryRun", "dryRun", Type.BOOL, new Constant.IntConst(0)),
                                new Route.Input(Route.Source.HEADER, "idempotencyKey", "Idempotency-Key", Type.STRING,
                                        new Constant.StrConst("none")),
                                new Route.Input(Route.Source.BODY, "t", "t", deep, null),
                                new Route.Input(Route.Source.QUERY, "rate", "rate", Type.DECIMAL,
                                        new Constant.DecConst(new BigDecimal("0.10"))),
                                new Route.Input(Route.Source.QUERY, "f", "f", Type.FLOAT, new Constant.FloatConst(2.5)),
                                new Route.Input(Route.Source.RAW, "payload", "payload", Type.STRING, null)),
                                0b0111,
                                List.of(new Route.Response(201, Route.BodyKind.JSON, deep),
                                        new Route.Response(422, Route.BodyKind.TEXT, Type.STRING),
                                        new Route.Response(0, Route.BodyKind.NONE, null)),
                                null, 42),
                        new Route(HttpMethod.DELETE, "/x", 1, List.of(), 0, List.of(), "x.mnk", 1),
                        new Route(HttpMethod.PUT, "/x", 1, List.of(), 0, List.of(), "x.mnk", 2),
                        new Route(HttpMethod.PATCH, "/x", 1, List.of(), 0, List.of(), "x.mnk", 3)),
                List.of(new TestCase("t", 1, 0, null, 0), new TestCase("ünïcode", 1, Capability.LOG.bit(), "t.mnk", 9)));
    }

    public static Function function(String name, String file, List<Type> params, Type result, int locals, int maxStack,
                                    int capabilities, CodeBuilder code) {
        return new Function(name, file, params, result, locals, maxStack, capabilities, code.code(), code.lineTable());
    }
}
