package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.model.Type;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes a {@link Module} in the `.mkb` format (see mkb-format.md). */
public final class ModuleWriter {
    private final DataOutputStream out;

    private ModuleWriter(OutputStream out) {
        this.out = new DataOutputStream(out);
    }

    /**
     * Writes the module. It is written as it is, not checked: a module the verifier would refuse
     * is still written faithfully. Only what the format cannot express throws
     * {@link IllegalArgumentException} (a null where a value is required, a string that is not
     * valid Unicode, a count wider than its field).
     */
    public static void write(Module module, OutputStream out) throws IOException {
        var buffer = new ByteArrayOutputStream();
        var w = new ModuleWriter(buffer);
        w.module(module);
        w.out.flush();
        buffer.writeTo(out);
    }

    public static byte[] toBytes(Module module) {
        var out = new ByteArrayOutputStream();
        try {
            write(module, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void module(Module m) throws IOException {
        out.writeInt(Module.MAGIC);
        out.writeShort(Module.VERSION);

        out.writeInt(m.constants().size());
        for (Constant c : m.constants()) constant(c);

        out.writeInt(m.types().size());
        for (TypeDef t : m.types()) typeDef(t);

        out.writeInt(m.typeRefs().size());
        for (Type t : m.typeRefs()) type(t);

        out.writeInt(m.functions().size());
        for (Function f : m.functions()) function(f);

        out.writeInt(m.effects().size());
        for (EffectOp e : m.effects()) effect(e);

        out.writeInt(m.routes().size());
        for (Route r : m.routes()) route(r);

        out.writeInt(m.tests().size());
        for (TestCase t : m.tests()) test(t);

        out.writeInt(m.settings().size());
        for (Setting s : m.settings()) setting(s);
    }

    private void constant(Constant c) throws IOException {
        switch (c) {
            case Constant.IntConst i -> {
                out.writeByte(FormatTag.CONST_INT);
                out.writeLong(i.value());
            }
            case Constant.FloatConst f -> {
                out.writeByte(FormatTag.CONST_FLOAT);
                out.writeLong(Double.doubleToRawLongBits(f.value()));
            }
            case Constant.StrConst s -> {
                out.writeByte(FormatTag.CONST_STR);
                string(s.value());
            }
            case Constant.DecConst d -> {
                out.writeByte(FormatTag.CONST_DEC);
                byte[] unscaled = d.value().unscaledValue().toByteArray();
                out.writeInt(unscaled.length);
                out.write(unscaled);
                out.writeInt(d.value().scale());
            }
        }
    }

    private void type(Type t) throws IOException {
        switch (t) {
            case Type.Prim p -> out.writeByte(switch (p) {
                case INT -> FormatTag.TYPE_INT;
                case DECIMAL -> FormatTag.TYPE_DECIMAL;
                case FLOAT -> FormatTag.TYPE_FLOAT;
                case BOOL -> FormatTag.TYPE_BOOL;
                case STRING -> FormatTag.TYPE_STRING;
                case UNIT -> FormatTag.TYPE_UNIT;
                case JSON -> FormatTag.TYPE_JSON;
                case INSTANT -> FormatTag.TYPE_INSTANT;
                case DURATION -> FormatTag.TYPE_DURATION;
                case SECRET -> FormatTag.TYPE_SECRET;
            });
            case Type.ListOf l -> {
                out.writeByte(FormatTag.TYPE_LIST);
                type(l.element());
            }
            case Type.MapOf m -> {
                out.writeByte(FormatTag.TYPE_MAP);
                type(m.value());
            }
            case Type.OptionOf o -> {
                out.writeByte(FormatTag.TYPE_OPTION);
                type(o.value());
            }
            case Type.PatchOf pa -> {
                out.writeByte(FormatTag.TYPE_PATCH);
                type(pa.value());
            }
            case Type.ResultOf r -> {
                out.writeByte(FormatTag.TYPE_RESULT);
                type(r.ok());
                type(r.err());
            }
            case Type.Named n -> {
                out.writeByte(FormatTag.TYPE_NAMED);
                string(n.name());
            }
        }
    }

    private void typeDef(TypeDef t) throws IOException {
        switch (t) {
            case TypeDef.RecordDef r -> {
                out.writeByte(FormatTag.DEF_RECORD);
                string(r.name());
                fields(r.fields());
            }
            case TypeDef.EnumDef e -> {
                out.writeByte(FormatTag.DEF_ENUM);
                string(e.name());
                out.writeInt(e.variants().size());
                for (TypeDef.VariantDef v : e.variants()) {
                    string(v.name());
                    fields(v.fields());
                }
            }
        }
    }

    private void fields(List<TypeDef.FieldDef> fields) throws IOException {
        out.writeInt(fields.size());
        for (TypeDef.FieldDef f : fields) {
            string(f.name());
            type(f.type());
        }
    }

    private void function(Function f) throws IOException {
        string(f.name());
        optionalString(f.file());
        out.writeInt(f.params().size());
        for (Type t : f.params()) type(t);
        type(f.result());
        u16(f.locals(), "locals");
        u16(f.maxStack(), "maxStack");
        out.writeInt(f.capabilities());
        out.writeInt(f.code().length);
        out.write(f.code());
        int[] lines = f.lines();
        if (lines.length % 2 != 0) throw new IllegalArgumentException("line table of " + f.name() + " has an odd length");
        out.writeInt(lines.length / 2);
        for (int v : lines) out.writeInt(v);
    }

    private void effect(EffectOp e) throws IOException {
        out.writeByte(e.capability().code());
        string(e.name());
        out.writeInt(e.params().size());
        for (EffectOp.Param p : e.params()) {
            string(p.name());
            type(p.type());
        }
        type(e.result());
        optionalString(e.sql());
    }

    private void route(Route r) throws IOException {
        out.writeByte(r.method().code());
        string(r.path());
        out.writeInt(r.handler());
        out.writeInt(r.inputs().size());
        for (Route.Input in : r.inputs()) {
            out.writeByte(in.source().code());
            string(in.name());
            string(in.wireName());
            type(in.type());
            optionalConstant(in.defaultValue());
        }
        out.writeInt(r.capabilities());
        out.writeInt(r.responses().size());
        for (Route.Response resp : r.responses()) {
            out.writeInt(resp.status());
            out.writeByte(resp.body().code());
            if (resp.type() == null) {
                out.writeByte(FormatTag.ABSENT);
            } else {
                out.writeByte(FormatTag.PRESENT);
                type(resp.type());
            }
        }
        optionalString(r.file());
        out.writeInt(r.line());
    }

    private void test(TestCase t) throws IOException {
        string(t.name());
        out.writeInt(t.function());
        out.writeInt(t.capabilities());
        optionalString(t.file());
        out.writeInt(t.line());
    }

    private void setting(Setting s) throws IOException {
        string(s.name());
        type(s.type());
        optionalConstant(s.defaultValue());
    }

    private void optionalConstant(Constant c) throws IOException {
        if (c == null) {
            out.writeByte(FormatTag.ABSENT);
        } else {
            out.writeByte(FormatTag.PRESENT);
            constant(c);
        }
    }

    private void u16(int value, String what) throws IOException {
        if (value < 0 || value > 0xFFFF) throw new IllegalArgumentException(what + " out of range: " + value);
        out.writeShort(value);
    }

    private void optionalString(String s) throws IOException {
        if (s == null) {
            out.writeByte(FormatTag.ABSENT);
        } else {
            out.writeByte(FormatTag.PRESENT);
            string(s);
        }
    }

    /** u32 byte length, then standard UTF-8 (not Java's modified UTF-8). */
    private void string(String s) throws IOException {
        ByteBuffer bytes;
        try {
            bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string is not valid Unicode (lone surrogate): " + s, e);
        }
        out.writeInt(bytes.remaining());
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    }
}
