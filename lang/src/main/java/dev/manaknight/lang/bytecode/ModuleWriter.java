package dev.manaknight.lang.bytecode;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a {@link Module} in the `.mkb` format (see mkb-format.md). */
public final class ModuleWriter {
    private ModuleWriter() {}

    public static void write(Module module, OutputStream out) throws IOException {
        throw new UnsupportedOperationException("TODO(bytecode helper)");
    }

    public static byte[] toBytes(Module module) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            write(module, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
