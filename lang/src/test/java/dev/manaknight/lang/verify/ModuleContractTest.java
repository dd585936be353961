package dev.manaknight.lang.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.SampleModules;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 (item 10): what the runtime would refuse when it loads a module, or could not honour
 * while it runs one, the verifier refuses first, so a crafted `.mkb` is a verification error
 * (exit 65), never a failure at start (70) or an internal error per request.
 */
class ModuleContractTest {
    private static List<String> messages(Module m) {
        return Verifier.verify(m).stream().map(VerifyError::message).toList();
    }

    private static Module withEffects(List<EffectOp> effects) {
        Module seed = SampleModules.seed();
        return new Module(seed.constants(), seed.types(), seed.typeRefs(), seed.functions(), effects, seed.routes(),
                seed.tests());
    }

    private static EffectOp findUser(String sql, List<EffectOp.Param> params, Type result) {
        return new EffectOp(Capability.DB, "findUser", params, result, sql);
    }

    private static final List<EffectOp.Param> ID = List.of(new EffectOp.Param("id", Type.INT));

    @Test
    void theSqlNamesOnlyParametersOfItsOperation() {
        assertEquals(List.of(), messages(SampleModules.seed()));
        Module renamed = withEffects(List.of(findUser("SELECT id, name, email FROM users WHERE id = :userId", ID,
                SampleModules.FIND_USER.result())));
        assertEquals(List.of("effect E0 db.findUser: the SQL names `:userId`, which is not a parameter"), messages(renamed));
        // placeholders inside strings, comments and casts are not parameters, as the runtime's scan says
        Module quoted = withEffects(List.of(findUser("SELECT ':x', id::text /* :y */ FROM users WHERE id = :id -- :z", ID,
                SampleModules.FIND_USER.result())));
        assertEquals(List.of(), messages(quoted));
    }

    @Test
    void queryParametersAndResultsAreWhatTheRuntimeBindsAndMaps() {
        Module list = withEffects(List.of(findUser("SELECT 1 WHERE :id",
                List.of(new EffectOp.Param("id", Type.listOf(Type.listOf(Type.INT)))), SampleModules.FIND_USER.result())));
        List<String> m = messages(list);
        assertEquals("effect E0 db.findUser parameter id is List<List<Int>>, which cannot be bound to SQL", m.getFirst());
        // issue 14 (item 6): a List of scalars (in `IN (:xs)`) and Json bind
        for (Type ok : List.of(Type.listOf(Type.INT), Type.JSON, Type.optionOf(Type.JSON))) {
            Module bound = withEffects(List.of(findUser("SELECT 1 WHERE 1 IN (:id)", List.of(new EffectOp.Param("id", ok)),
                    SampleModules.FIND_USER.result())));
            assertEquals(List.of(), messages(bound).stream().filter(s -> s.contains("bound")).toList(), ok.toString());
        }
        Module map = withEffects(List.of(findUser("SELECT 1 WHERE :id", ID, new Type.MapOf(Type.INT))));
        assertEquals("effect E0 db.findUser result Map<Int> cannot be mapped from rows", messages(map).getFirst());
        Module twice = withEffects(List.of(findUser("SELECT :id", List.of(ID.getFirst(), ID.getFirst()), Type.INT)));
        assertEquals("effect E0 db.findUser declares parameter id twice", messages(twice).getFirst());
    }

    @Test
    void aQueryDeclaresItsErrorsWithTheBuiltInDbError() {
        // issue 14: `Result<T, DbError>` is a result the runtime maps; the DbError it builds is its own
        var add = new EffectOp(Capability.DB, "addUser", List.of(new EffectOp.Param("name", Type.STRING)),
                new Type.ResultOf(new Type.Named("User"), new Type.Named("DbError")), "INSERT INTO users(name) VALUES (:name)");
        Module seed = SampleModules.seed();
        var types = new ArrayList<>(seed.types());
        Module missing = new Module(seed.constants(), types, seed.typeRefs(), seed.functions(),
                List.of(SampleModules.FIND_USER, add), seed.routes(), seed.tests());
        assertEquals(List.of("effect E1 db.addUser result names type DbError, which is not in the type table"),
                messages(missing));
        types.add(TypeDef.DB_ERROR);
        Module good = new Module(seed.constants(), types, seed.typeRefs(), seed.functions(),
                List.of(SampleModules.FIND_USER, add), seed.routes(), seed.tests());
        assertEquals(List.of(), messages(good));
        types.set(types.size() - 1, new TypeDef.EnumDef("DbError", List.of(new TypeDef.VariantDef("unique", List.of()))));
        Module other = new Module(seed.constants(), types, seed.typeRefs(), seed.functions(),
                List.of(SampleModules.FIND_USER, add), seed.routes(), seed.tests());
        assertEquals(List.of("type DbError is not the built-in enum DbError (TypeDef.DB_ERROR), whose values the runtime builds"),
                messages(other));
        var stringErrors = new EffectOp(Capability.DB, "addUser", add.params(),
                new Type.ResultOf(new Type.Named("User"), Type.STRING), add.sql());
        assertEquals(List.of("effect E1 db.addUser result Result<User, String> cannot be mapped from rows"),
                messages(new Module(seed.constants(), seed.types(), seed.typeRefs(), seed.functions(),
                        List.of(SampleModules.FIND_USER, stringErrors), seed.routes(), seed.tests())));
    }

    @Test
    void builtInEffectsHaveTheRuntimesSignatures() {
        var info = new EffectOp(Capability.LOG, "info", List.of(new EffectOp.Param("message", Type.INT)), Type.UNIT, null);
        var debug = new EffectOp(Capability.LOG, "debug", List.of(new EffectOp.Param("message", Type.STRING)), Type.UNIT, null);
        var now = new EffectOp(Capability.CLOCK, "now", List.of(), Type.STRING, null);
        assertEquals(List.of(
                "effect E1 log.info is declared as (message: Int): Unit, but the runtime's is (message: String): Unit",
                "effect E2 log.debug is not an operation the runtime has "
                        + "([log.info, log.warn, log.error, clock.now, random.int, random.uuid, random.uuid7, random.token, "
                        + "password.hash, password.verify, http.send, http.stub])",
                "effect E3 clock.now is declared as (): String, but the runtime's is (): Instant"),
                messages(withEffects(List.of(SampleModules.FIND_USER, info, debug, now))));
        var all = new ArrayList<EffectOp>(List.of(SampleModules.FIND_USER));
        all.addAll(EffectOp.BUILT_IN);
        assertEquals(List.of(), messages(withEffects(all)));
    }

    private static Module withInput(Route.Input input) {
        Module seed = SampleModules.seed();
        Route r = seed.routes().getFirst();
        var handler = new CodeBuilder().op(Opcode.SMALL_INT, 204).op(Opcode.UNIT).op(Opcode.RESPOND, 0);
        var functions = new ArrayList<>(seed.functions());
        functions.set(0, SampleModules.function(r.path(), "users.mnk", List.of(Type.INT, input.type()), Type.UNIT, 2, 2, 0,
                handler));
        var route = new Route(r.method(), r.path(), 0, List.of(r.inputs().getFirst(), input), r.capabilities(), r.responses(),
                r.file(), r.line());
        return new Module(seed.constants(), seed.types(), seed.typeRefs(), functions, seed.effects(), List.of(route),
                seed.tests());
    }

    private static Route.Input query(Type type, Constant defaultValue) {
        return new Route.Input(Route.Source.QUERY, "q", "q", type, defaultValue);
    }

    @Test
    void inputDefaultsAreValuesOfTheirInputs() {
        assertEquals(List.of(), messages(withInput(query(Type.INT, new Constant.IntConst(50)))));
        assertEquals(List.of(), messages(withInput(query(Type.BOOL, new Constant.IntConst(1)))));
        assertEquals(List.of(), messages(withInput(query(Type.optionOf(Type.DECIMAL), new Constant.IntConst(1)))));
        assertEquals(List.of("route GET /users/:id input q: the default \"50\" does not fit Int"),
                messages(withInput(query(Type.INT, new Constant.StrConst("50")))));
        assertEquals(List.of("route GET /users/:id input q: the default 1.5 does not fit Int"),
                messages(withInput(query(Type.INT, new Constant.FloatConst(1.5)))));
        assertEquals(List.of("route GET /users/:id input q: the default \"yes\" does not fit Bool"),
                messages(withInput(query(Type.BOOL, new Constant.StrConst("yes")))));
        assertEquals(List.of("route GET /users/:id input q: the default \"x\" does not fit List<String>"),
                messages(withInput(query(Type.listOf(Type.STRING), new Constant.StrConst("x")))));
    }

    @Test
    void aHandlerNeverReturnsWithoutResponding() {
        Module seed = SampleModules.seed();
        var functions = new ArrayList<>(seed.functions());
        functions.set(0, SampleModules.function("GET /users/:id", "users.mnk", List.of(Type.INT), Type.UNIT, 1, 1, 0,
                new CodeBuilder().op(Opcode.UNIT).op(Opcode.RET_R)));
        Module m = new Module(seed.constants(), seed.types(), seed.typeRefs(), functions, seed.effects(), seed.routes(),
                seed.tests());
        assertEquals(List.of("route GET /users/:id: handler F0 `GET /users/:id` returns at 0001; a handler ends every path with RESPOND"),
                messages(m));
    }
}
