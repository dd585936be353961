package dev.manaknight.lang.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.CodeBuilder;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Opcode;
import dev.manaknight.lang.bytecode.SampleModules;
import dev.manaknight.lang.bytecode.Setting;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 2: the verifier's rules for config keys (CONFIG_P, CONFIG_R, the config table)
 * and for Secrets, which a hand-made module must not turn into text, compare with `EQ_R`, put
 * into a container or declare inside another type, whatever the compiler would have refused.
 */
class SecretRulesTest {
    /** K0 pageSize: Int = 20, K1 greeting: String, K2 adminKey: Secret. */
    private static final List<Setting> KEYS = List.of(new Setting("pageSize", Type.INT, new Constant.IntConst(20)),
            new Setting("greeting", Type.STRING, null), new Setting("adminKey", Type.SECRET, null));

    private static Module module(List<Type> params, Type result, CodeBuilder code, List<Setting> settings,
                                 List<TypeDef> types) {
        return new Module(List.of(new Constant.StrConst("s")), types, List.of(), List.of(SampleModules.function("f", "f.mnk",
                params, result, 4, 8, 0, code)), List.of(), List.of(), List.of(), settings);
    }

    private static Module module(Type result, CodeBuilder code) {
        return module(List.of(), result, code, KEYS, List.of());
    }

    private static List<String> messages(Module m) {
        return Verifier.verify(m).stream().map(VerifyError::message).toList();
    }

    @Test
    void configReadsAreTypedByTheirKey() {
        assertEquals(List.of(), messages(module(Type.INT, new CodeBuilder().op(Opcode.CONFIG_P, 0).op(Opcode.RET_P))));
        assertEquals(List.of(), messages(module(Type.STRING, new CodeBuilder().op(Opcode.CONFIG_R, 1).op(Opcode.RET_R))));
        assertEquals(List.of(), messages(module(Type.SECRET, new CodeBuilder().op(Opcode.CONFIG_R, 2).op(Opcode.RET_R))));
        assertEquals(List.of("F0 `f` at 0000 CONFIG_R: config key K3 is outside the config table (3 entries)"),
                messages(module(Type.STRING, new CodeBuilder().op(Opcode.CONFIG_R, 3).op(Opcode.RET_R))));
        assertEquals(List.of("F0 `f` at 0000 CONFIG_R: config key K0 pageSize is Int, read with CONFIG_P"),
                messages(module(Type.INT, new CodeBuilder().op(Opcode.CONFIG_R, 0).op(Opcode.RET_P))));
    }

    @Test
    void aSecretIsNotAString() {
        var wrong = messages(module(Type.STRING, new CodeBuilder().op(Opcode.CONFIG_R, 2).op(Opcode.RET_R)));
        assertEquals(1, wrong.size(), wrong.toString());
        assertEquals(true, wrong.getFirst().contains("RET_R"), wrong.toString());
    }

    @Test
    void aSecretIsNeverShownComparedOrContained() {
        for (var c : List.of(
                new CodeBuilder().op(Opcode.CONFIG_R, 2).op(Opcode.STR_ANY).op(Opcode.POP_R),
                new CodeBuilder().op(Opcode.CONFIG_R, 2).op(Opcode.CONFIG_R, 2).op(Opcode.EQ_R).op(Opcode.POP_P),
                new CodeBuilder().op(Opcode.CONFIG_R, 2).op(Opcode.LIST_NEW, 1).op(Opcode.POP_R),
                new CodeBuilder().op(Opcode.CONFIG_R, 2).op(Opcode.SOME).op(Opcode.POP_R),
                new CodeBuilder().op(Opcode.CONFIG_R, 2).op(Opcode.BUILTIN, Builtin.VALUE_SHOW.id()).op(Opcode.POP_R))) {
            var errors = messages(module(Type.UNIT, c.op(Opcode.UNIT).op(Opcode.RET_R)));
            assertEquals(1, errors.size(), errors.toString());
        }
        // its two uses verify
        var uses = new CodeBuilder().op(Opcode.CONFIG_R, 2).op(Opcode.CONST, 0).op(Opcode.BUILTIN, Builtin.SECRET_EQUALS.id())
                .op(Opcode.POP_P).op(Opcode.CONFIG_R, 2).op(Opcode.CONST, 0).op(Opcode.BUILTIN, Builtin.SECRET_HMAC_SHA256.id())
                .op(Opcode.RET_R);
        assertEquals(List.of(), messages(module(Type.STRING, uses)));
    }

    /** Issue 15 item 6: `Json.from` of a Secret is refused by the verifier as by the checker (E0410). */
    @Test
    void aSecretNeverBecomesJson() {
        var code = new CodeBuilder().op(Opcode.CONFIG_R, 2).op(Opcode.TO_JSON, 0).op(Opcode.RET_R);
        for (Type ref : List.of(Type.STRING, Type.SECRET)) {
            var m = new Module(List.of(new Constant.StrConst("s")), List.of(), List.of(ref), List.of(SampleModules.function("f",
                    "f.mnk", List.of(), Type.JSON, 4, 8, 0, code)), List.of(), List.of(), List.of(), KEYS);
            var errors = messages(m);
            assertEquals(false, errors.isEmpty(), ref.toString());
            if (ref == Type.SECRET) assertEquals(true, errors.toString().contains("holds a Secret"), errors.toString());
            else assertEquals(true, errors.toString().contains("TO_JSON"), errors.toString());
        }
    }

    @Test
    void aSecretIsOnlyAParameterAResultOrAKey() {
        assertEquals(List.of(), messages(module(List.of(Type.SECRET), Type.SECRET,
                new CodeBuilder().op(Opcode.LOAD_R, 0).op(Opcode.RET_R), KEYS, List.of())));
        assertEquals(List.of("F0 `f` parameter 0 holds a Secret, which only a function's parameter or result or a config key may be"),
                messages(module(List.of(Type.listOf(Type.SECRET)), Type.UNIT,
                        new CodeBuilder().op(Opcode.UNIT).op(Opcode.RET_R), KEYS, List.of())));
        var holder = new TypeDef.RecordDef("Holder", List.of(new TypeDef.FieldDef("key", Type.SECRET)));
        assertEquals(List.of("record T0 Holder field key holds a Secret, which only a function's parameter or result or a config key may be"),
                messages(module(List.of(), Type.UNIT, new CodeBuilder().op(Opcode.UNIT).op(Opcode.RET_R), KEYS, List.of(holder))));
    }

    @Test
    void theConfigTableHoldsReadableTypesAndNoSecretDefault() {
        var unit = new CodeBuilder().op(Opcode.UNIT).op(Opcode.RET_R);
        assertEquals(List.of("config key K0 key is a Secret with a default: a secret is never in a module"),
                messages(module(List.of(), Type.UNIT, unit, List.of(new Setting("key", Type.SECRET, new Constant.StrConst("x"))),
                        List.of())));
        assertEquals(List.of("config key K0 ratio is Float; a config key is Int, Decimal, Bool, String or Secret"),
                messages(module(List.of(), Type.UNIT, unit, List.of(new Setting("ratio", Type.FLOAT, null)), List.of())));
        assertEquals(List.of("config key K0 flag: the default 2 does not fit Bool",
                        "config key K1 flag is declared twice"),
                messages(module(List.of(), Type.UNIT, unit, List.of(new Setting("flag", Type.BOOL, new Constant.IntConst(2)),
                        new Setting("flag", Type.BOOL, null)), List.of())));
    }
}
