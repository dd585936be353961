package dev.manaknight.runtime.effects;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * One migration file, `V<version>__<description>.sql`: its script and the checksum recorded when
 * it is applied, by which a file changed after it ran is found.
 *
 * @param version  the number after `V`, the order in which migrations apply
 * @param file     the file's name (`V2__add_email.sql`), as the history records it
 * @param path     where it was read from, as messages name it (null for a script given in memory)
 * @param script   the text, line breaks normalised to `\n`
 * @param checksum of the normalised text ({@link #checksum})
 */
public record Migration(long version, String file, java.nio.file.Path path, String script, String checksum) {
    /** A migration from its file's name and text. */
    public static Migration of(long version, String file, java.nio.file.Path path, String text) {
        String script = normalise(text);
        return new Migration(version, file, path, script, checksum(script));
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

    /**
     * `CRC32C` and `CRC32` of the UTF-8 text, then its length in bytes:
     * `1a2b3c4d5e6f7a8b-1234`. It finds a changed file (an accidental change escapes both
     * polynomials about once in 2^64), which is its job; it is no defence against a forgery, as
     * nothing is against someone who can write the app's files. Not SHA-256: the JDK's first
     * `MessageDigest` loads its security providers, about 160 ms of a CGI process's start
     * (runtime.md, Migrations), where the two CRCs cost microseconds.
     */
    static String checksum(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        var c = new CRC32C();
        c.update(bytes);
        var d = new CRC32();
        d.update(bytes);
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits((int) c.getValue()) + hex.toHexDigits((int) d.getValue()) + "-" + bytes.length;
    }
}
