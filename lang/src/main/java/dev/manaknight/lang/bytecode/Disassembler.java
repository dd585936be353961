package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import java.util.List;
import java.util.StringJoiner;

/**
 * Prints a module readably: tables, routes, and every function's code beside its source lines.
 * It never throws on a module the reader accepted: an index out of range prints as `?`, a byte
 * that is no instruction as `.byte`, so it can show what the verifier refused.
 */
public final class Disassembler {
    /** Longest constant text shown inline beside an instruction; the constant table shows it whole. */
    private static final int INLINE_TEXT = 40;
    /** Column width of mnemonics: the longest, `JUMP_IF_FALSE`, is 13. */
    private static final int MNEMONIC_WIDTH = 13;
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    private final Module module;
    private final java.util.function.Function<String, SourceFile> sources;
    private final StringBuilder out = new StringBuilder();
    private final long[] steps;

    private Disassembler(Module module, java.util.function.Function<String, SourceFile> sources) {
        this.module = module;
        this.sources = sources;
        this.steps = StepBound.of(module);
    }

    /** @param sources finds a source file by the name stored in the module; may return null */
    public static String disassemble(Module module, java.util.function.Function<String, SourceFile> sources) {
        var d = new Disassembler(module, sources == null ? name -> null : sources);
        d.module();
        return d.out.toString();
    }

    private void module() {
        line("; manaknight module, format " + Module.VERSION);
        line("; " + count(module.constants().size(), "constant") + ", " + count(module.types().size(), "type") + ", "
                + count(module.typeRefs().size(), "type reference") + ", " + count(module.functions().size(), "function") + ", "
                + count(module.effects().size(), "effect") + ", " + count(module.routes().size(), "route") + ", "
                + count(module.tests().size(), "test"));

        section("constants", module.constants().isEmpty());
        for (int i = 0; i < module.constants().size(); i++) line("  #" + i + " " + constant(module.constants().get(i), Integer.MAX_VALUE));

        section("types", module.types().isEmpty());
        for (int i = 0; i < module.types().size(); i++) line("  T" + i + " " + typeDef(module.types().get(i)));

        section("type references", module.typeRefs().isEmpty());
        for (int i = 0; i < module.typeRefs().size(); i++) line("  J" + i + " " + module.typeRefs().get(i));

        section("effects", module.effects().isEmpty());
        for (int i = 0; i < module.effects().size(); i++) line("  E" + i + " " + effect(module.effects().get(i)));

        section("routes", module.routes().isEmpty());
        for (Route r : module.routes()) route(r);

        section("tests", module.tests().isEmpty());
        for (TestCase t : module.tests())
            line("  " + quote(t.name(), Integer.MAX_VALUE) + " -> F" + t.function() + uses(t.capabilities()) + at(t.file(), t.line()));

        // Names, types and defaults only: values come from the configuration when the app starts.
        if (!module.settings().isEmpty()) section("config", false);
        for (int i = 0; i < module.settings().size(); i++) {
            Setting s = module.settings().get(i);
            line("  K" + i + " " + s.name() + ": " + s.type()
                    + (s.defaultValue() == null ? "" : s.type() == Type.BOOL && s.defaultValue() instanceof Constant.IntConst b
                            ? " = " + (b.value() != 0) : " = " + constant(s.defaultValue(), Integer.MAX_VALUE)));
        }

        for (int i = 0; i < module.functions().size(); i++) function(i, module.functions().get(i));
    }

    private void section(String name, boolean empty) {
        line("");
        line(name + ":" + (empty ? " none" : ""));
    }

    private static String typeDef(TypeDef t) {
        return switch (t) {
            case TypeDef.RecordDef r -> "record " + r.name() + (r.fields().isEmpty() ? " { }" : fields(r.fields(), " { ", " }"));
            case TypeDef.EnumDef e -> {
                var variants = new StringJoiner(", ", "enum " + e.name() + " { ", " }");
                for (TypeDef.VariantDef v : e.variants())
                    variants.add(v.fields().isEmpty() ? v.name() : v.name() + fields(v.fields(), "(", ")"));
                yield variants.toString();
            }
        };
    }

    private static String fields(List<TypeDef.FieldDef> fields, String open, String close) {
        var j = new StringJoiner(", ", open, close);
        for (TypeDef.FieldDef f : fields) j.add(f.name() + ": " + f.type());
        return j.toString();
    }

    private static String effect(EffectOp e) {
        var params = new StringJoiner(", ", "(", ")");
        for (EffectOp.Param p : e.params()) params.add(p.name() + ": " + p.type());
        return e.qualifiedName() + params + ": " + e.result() + (e.sql() == null ? "" : " " + quote(e.sql(), Integer.MAX_VALUE));
    }

    private void route(Route r) {
        var inputs = new StringJoiner(", ", " inputs: ", "");
        inputs.setEmptyValue("");
        for (Route.Input in : r.inputs()) {
            String wire = in.wireName().equals(in.name()) ? "" : " (" + in.wireName() + ")";
            String dflt = in.defaultValue() == null ? "" : " = " + constant(in.defaultValue(), INLINE_TEXT);
            inputs.add(in.source().name().toLowerCase(java.util.Locale.ROOT) + " " + in.name() + wire + ": " + in.type() + dflt);
        }
        line("  " + r.method() + " " + r.path() + " -> F" + r.handler() + uses(r.capabilities()) + inputs + at(r.file(), r.line()));
        if (!r.responses().isEmpty()) {
            var responses = new StringJoiner(", ", "    responses: ", "");
            for (Route.Response resp : r.responses()) {
                String status = resp.status() == 0 ? "computed" : String.valueOf(resp.status());
                String body = switch (resp.body()) {
                    case NONE -> "";
                    case JSON -> " json" + (resp.type() == null ? "" : " " + resp.type());
                    case TEXT -> " text";
                };
                responses.add(status + body);
            }
            line(responses.toString());
        }
    }

    private void function(int index, Function f) {
        line("");
        var params = new StringJoiner(", ", "(", ")");
        for (Type t : f.params()) params.add(String.valueOf(t));
        line("function F" + index + " `" + f.name() + "` " + params + " -> " + f.result() + "  locals " + f.locals()
                + "  stack " + f.maxStack() + "  steps " + (steps[index] == StepBound.UNBOUNDED ? "unbounded" : steps[index])
                + (f.capabilities() == 0 ? "" : " " + uses(f.capabilities())) + (f.file() == null ? "" : "  file " + f.file()));
        byte[] code = f.code();
        SourceFile source = f.file() == null ? null : sources.apply(f.file());
        int shownLine = 0;
        int pc = 0;
        while (pc < code.length) {
            int lineNo = f.lineAt(pc);
            if (lineNo != shownLine && lineNo > 0) {
                shownLine = lineNo;
                String name = f.file() == null ? "?" : f.file();
                String text = source != null && lineNo <= source.lineCount() ? " | " + source.lineText(lineNo) : "";
                line("  ; " + name + ":" + lineNo + text);
            }
            Opcode op = Opcode.of(code[pc] & 0xFF);
            if (op == null || pc + op.size > code.length) {
                line("  " + offset(pc) + "  .byte 0x" + HEX.toHexDigits(code[pc]).toUpperCase(java.util.Locale.ROOT)
                        + (op == null ? "  ; not an opcode" : "  ; truncated " + op));
                pc++;
                continue;
            }
            var sb = new StringBuilder("  ").append(offset(pc)).append("  ").append(op.name());
            String operands = operands(code, pc, op);
            if (!operands.isEmpty()) sb.append(" ".repeat(Math.max(1, MNEMONIC_WIDTH + 1 - op.name().length()))).append(operands);
            line(sb.toString());
            pc += op.size;
        }
    }

    /** The operands of one instruction, resolved to names where the module has them. */
    private String operands(byte[] code, int pc, Opcode op) {
        int a = op.operands.isEmpty() ? 0 : operand(code, pc + 1, op.operands.getFirst());
        int b = op.operands.size() < 2 ? 0 : operand(code, pc + 1 + op.operands.getFirst().width, op.operands.get(1));
        return switch (op) {
            case CONST, CONST_INT, CONST_FLOAT, FAIL, EXPECT, EXPECT_FAILED ->
                    "#" + a + "  ; " + (a < module.constants().size() ? constant(module.constants().get(a), INLINE_TEXT) : "?");
            case RECORD_NEW -> "T" + a + "  ; " + typeName(a);
            case CONFIG_P, CONFIG_R -> "K" + a + "  ; " + (a < module.settings().size()
                    ? "config." + module.settings().get(a).name() + ": " + module.settings().get(a).type() : "?");
            case GET_FIELD, WITH_FIELD -> "T" + a + " " + b + "  ; " + typeName(a) + "." + fieldName(a, b);
            case ENUM_NEW -> "T" + a + " " + b + "  ; " + typeName(a) + "." + variantName(a, b);
            case JUMP, JUMP_IF_FALSE, JUMP_IF_TRUE, LOOP -> "-> " + offset(a);
            case CALL -> "F" + a + "  ; " + (a < module.functions().size() ? module.functions().get(a).name() : "?");
            case BUILTIN -> a + "  ; " + (Builtin.of(a) == null ? "?" : Builtin.of(a).name().toLowerCase(java.util.Locale.ROOT));
            case EFFECT -> "E" + a + "  ; " + (a < module.effects().size() ? module.effects().get(a).qualifiedName() : "?");
            case JSON, TO_JSON, FROM_JSON, BUILDER_NEW ->
                    "J" + a + "  ; " + (a < module.typeRefs().size() ? String.valueOf(module.typeRefs().get(a)) : "?");
            case REQUEST -> HttpMethod.of(a) != null ? HttpMethod.of(a).name() : a + "  ; ?";
            default -> {
                var j = new StringJoiner(" ");
                int at = pc + 1;
                for (Operand o : op.operands) {
                    j.add(String.valueOf(operand(code, at, o)));
                    at += o.width;
                }
                yield j.toString();
            }
        };
    }

    /** A code offset as four digits at least: `0042`. */
    private static String offset(int pc) {
        String digits = Integer.toString(pc);
        return digits.length() >= 4 ? digits : "0".repeat(4 - digits.length()) + digits;
    }

    private static int operand(byte[] code, int at, Operand o) {
        return switch (o) {
            case U8 -> code[at] & 0xFF;
            case U16, TARGET -> ((code[at] & 0xFF) << 8) | (code[at + 1] & 0xFF);
            case S16 -> (short) (((code[at] & 0xFF) << 8) | (code[at + 1] & 0xFF));
        };
    }

    private String typeName(int t) {
        return t < module.types().size() ? module.types().get(t).name() : "?";
    }

    private String fieldName(int t, int f) {
        return t < module.types().size() && module.types().get(t) instanceof TypeDef.RecordDef r && f < r.fields().size()
                ? r.fields().get(f).name() : "?";
    }

    private String variantName(int t, int v) {
        return t < module.types().size() && module.types().get(t) instanceof TypeDef.EnumDef e && v < e.variants().size()
                ? e.variants().get(v).name() : "?";
    }

    private static String constant(Constant c, int maxText) {
        return switch (c) {
            case Constant.IntConst i -> "int " + i.value();
            case Constant.FloatConst f -> "float " + f.value() + (Double.isNaN(f.value())
                    && Double.doubleToRawLongBits(f.value()) != Double.doubleToRawLongBits(Double.NaN)
                    ? "(0x" + Long.toHexString(Double.doubleToRawLongBits(f.value())) + ")" : "");
            case Constant.StrConst s -> "str " + quote(s.value(), maxText);
            case Constant.DecConst d -> "dec " + d.value();
        };
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** ` uses { db, log }`, or nothing when the set is empty. */
    private static String uses(int capabilities) {
        if (capabilities == 0) return "";
        var j = new StringJoiner(", ", " uses { ", " }");
        int unknown = capabilities;
        for (Capability c : Capability.values()) {
            if ((capabilities & c.bit()) != 0) j.add(c.sourceName());
            unknown &= ~c.bit();
        }
        if (unknown != 0) j.add(String.format("?0x%X", unknown));
        return j.toString();
    }

    private static String at(String file, int line) {
        return file == null ? "" : "  ; " + file + ":" + line;
    }

    /** A string literal as source would write it, cut to `max` code points with `…`. */
    private static String quote(String s, int max) {
        var sb = new StringBuilder("\"");
        int count = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (count++ == max) {
                sb.append('…');
                break;
            }
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (cp < 0x20 || cp == 0x7F) sb.append(String.format("\\u{%X}", cp));
                    else sb.appendCodePoint(cp);
                }
            }
        }
        return sb.append('"').toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }
}
