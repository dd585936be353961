package dev.manaknight.lang.bytecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each named limit the reader applies, at the limit (read back) and one past it (refused). */
class FormatLimitsTest {
    private static Module of(List<Constant> constants, List<TypeDef> types, List<Type> typeRefs, List<Function> functions,
                             List<Route> routes) {
        return new Module(constants, types, typeRefs, functions, List.of(), routes, List.of());
    }

    private static void atLimitReads(Module m) throws ModuleFormatException {
        ModuleAssert.assertSameModule(m, ModuleReader.read(ModuleWriter.toBytes(m)));
    }

    private static void pastLimitRefused(Module m, String fragment) {
        var e = assertThrows(ModuleFormatException.class, () -> ModuleReader.read(ModuleWriter.toBytes(m)));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static Type nested(int lists) {
        Type t = Type.INT;
        for (int i = 0; i < lists; i++) t = new Type.ListOf(t);
        return t;
    }

    @Test
    void typeDepth() throws Exception {
        atLimitReads(of(List.of(), List.of(), List.of(nested(Limits.MAX_TYPE_DEPTH - 1)), List.of(), List.of()));
        pastLimitRefused(of(List.of(), List.of(), List.of(nested(Limits.MAX_TYPE_DEPTH)), List.of(), List.of()),
                "nested deeper than Limits.MAX_TYPE_DEPTH (32)");
    }

    @Test
    void recordFieldsAndVariants() throws Exception {
        var fields = new ArrayList<TypeDef.FieldDef>();
        for (int i = 0; i < Limits.MAX_FIELDS; i++) fields.add(new TypeDef.FieldDef("f" + i, Type.INT));
        atLimitReads(of(List.of(), List.of(new TypeDef.RecordDef("R", fields)), List.of(), List.of(), List.of()));
        fields.add(new TypeDef.FieldDef("one", Type.INT));
        pastLimitRefused(of(List.of(), List.of(new TypeDef.RecordDef("R", fields)), List.of(), List.of(), List.of()),
                "record fields 256 exceeds the limit 255");

        var variants = new ArrayList<TypeDef.VariantDef>();
        for (int i = 0; i < Limits.MAX_VARIANTS; i++) variants.add(new TypeDef.VariantDef("v" + i, List.of()));
        atLimitReads(of(List.of(), List.of(new TypeDef.EnumDef("E", variants)), List.of(), List.of(), List.of()));
        variants.add(new TypeDef.VariantDef("one", List.of()));
        pastLimitRefused(of(List.of(), List.of(new TypeDef.EnumDef("E", variants)), List.of(), List.of(), List.of()),
                "variants 257 exceeds the limit 256");
    }

    @Test
    void decimalSizeAndScale() throws Exception {
        // the largest positive value of MAX_DECIMAL_BYTES two's-complement bytes
        BigInteger max = BigInteger.ONE.shiftLeft(Limits.MAX_DECIMAL_BYTES * 8 - 1).subtract(BigInteger.ONE);
        atLimitReads(of(List.of(new Constant.DecConst(new BigDecimal(max, Limits.MAX_DECIMAL_SCALE)),
                new Constant.DecConst(new BigDecimal(BigInteger.ONE, -Limits.MAX_DECIMAL_SCALE))), List.of(), List.of(), List.of(), List.of()));
        pastLimitRefused(of(List.of(new Constant.DecConst(new BigDecimal(max.add(BigInteger.ONE), 0))), List.of(), List.of(), List.of(), List.of()),
                "Decimal unscaled length 257");
        pastLimitRefused(of(List.of(new Constant.DecConst(new BigDecimal(BigInteger.ONE, Limits.MAX_DECIMAL_SCALE + 1))), List.of(),
                List.of(), List.of(), List.of()), "Decimal scale 1001");
    }

    @Test
    void codeAndParameters() throws Exception {
        var params = Collections.nCopies(Limits.MAX_PARAMS, Type.INT);
        atLimitReads(of(List.of(), List.of(), List.of(),
                List.of(new Function("f", null, params, Type.INT, 64, 0, 0, new byte[Limits.MAX_CODE], new int[0])), List.of()));
        pastLimitRefused(of(List.of(), List.of(), List.of(),
                List.of(new Function("f", null, List.of(), Type.INT, 0, 0, 0, new byte[Limits.MAX_CODE + 1], new int[0])), List.of()),
                "code length 65536 exceeds the limit 65535");
        var more = Collections.nCopies(Limits.MAX_PARAMS + 1, Type.INT);
        pastLimitRefused(of(List.of(), List.of(), List.of(),
                List.of(new Function("f", null, more, Type.INT, 65, 0, 0, new byte[1], new int[0])), List.of()),
                "parameters 65 exceeds the limit 64");
    }

    @Test
    void indexedTables() throws Exception {
        var constants = Collections.<Constant>nCopies(Limits.MAX_INDEX, new Constant.IntConst(1));
        Module m = of(constants, List.of(), List.of(), List.of(), List.of());
        assertEquals(Limits.MAX_INDEX, ModuleReader.read(ModuleWriter.toBytes(m)).constants().size());
        var more = Collections.<Constant>nCopies(Limits.MAX_INDEX + 1, new Constant.IntConst(1));
        pastLimitRefused(of(more, List.of(), List.of(), List.of(), List.of()), "constants 65537 exceeds the limit 65536");
    }

    @Test
    void responsesOfARoute() throws Exception {
        var responses = Collections.nCopies(Limits.MAX_RESPONSES, new Route.Response(200, Route.BodyKind.NONE, null));
        atLimitReads(of(List.of(), List.of(), List.of(), List.of(),
                List.of(new Route(HttpMethod.GET, "/", 0, List.of(), 0, responses, null, 1))));
        var more = Collections.nCopies(Limits.MAX_RESPONSES + 1, new Route.Response(200, Route.BodyKind.NONE, null));
        pastLimitRefused(of(List.of(), List.of(), List.of(), List.of(),
                List.of(new Route(HttpMethod.GET, "/", 0, List.of(), 0, more, null, 1))), "responses 1025 exceeds the limit 1024");
    }
}
