package dev.manaknight.runtime.effects;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One migration file, `V<version>__<description>.sql`: its script and the checksum recorded when
 * it is applied, by which a file changed after it ran is found.
 *
 * @param version  the number after `V`, the order in which migrations apply
 * @param file     the file's name (`V2__add_email.sql`), as the history records it
 * @param path     where it was read from, as messages name it (null for a script given in memory)
 * @param script   the text, line breaks normalised to `\n`
 * @param checksum SHA-256 of the normalised text, in hex
 */
public record Migration(long version, String file, java.nio.file.Path path, String script, String checksum) {
    /** A migration from its file's name and text. */
    public static Migration of(long version, String file, java.nio.file.Path path, String text) {
        String script = normalise(text);
        return new Migration(version, file, path, script, sha256(script));
    }

    /** The file as a message names it: its path when it has one. */
    public String where() { return path != null ? path.toString() : file; }

    /**
     * The text as its checksum sees it: a byte-order mark dropped, `\r\n` and `\r` read as `\n`,
     * so that a checkout with other line endings is not a changed migration.
     */
    static String normalise(String text) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
