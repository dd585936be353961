package dev.manaknight.lang.bytecode;

import java.io.IOException;
import java.io.InputStream;

/** Reads a `.mkb` file back into a {@link Module}; any malformation is a {@link ModuleFormatException}. */
public final class ModuleReader {
    private ModuleReader() {}

    public static Module read(InputStream in) throws IOException, ModuleFormatException {
        throw new UnsupportedOperationException("TODO(bytecode helper)");
    }

    public static Module read(byte[] bytes) throws ModuleFormatException {
        try {
            return read(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new ModuleFormatException(e.getMessage());
        }
    }
}
