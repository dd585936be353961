package dev.manaknight.runtime.journal;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.ModuleWriter;
import dev.manaknight.runtime.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a record says it ran: SHA-256 of the module's bytes (the `.mkb` a build writes), and of
 * the configuration as loaded, so that a replay can tell it runs another program or config.
 */
public final class JournalDigest {
    private JournalDigest() {}

    public static String of(Module module) { return sha256(ModuleWriter.toBytes(module)); }

    /** Over the configuration's every value (its text form); the journal section itself is left out. */
    public static String of(Config config) {
        Config c = new Config(config.source(), config.app(), config.server(), config.limits(), config.db(), config.log(),
                config.http());
        return sha256(c.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
