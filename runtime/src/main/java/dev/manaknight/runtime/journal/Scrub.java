package dev.manaknight.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.manaknight.runtime.Header;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * What the journal keeps out of its files (journal.md, "Secrets and redaction"). The text of each
 * of the app's `Secret` config values, wherever it occurs in a string of a record, is written as
 * the key's name instead (`["sec", "Bearer ", "adminKey", ""]`); replay takes the text from its own
 * configuration again. The values of the headers named in `[journal] redact` are sealed with
 * AES-256-GCM under the journal key (`["sealed", base64(nonce, ciphertext)]`, bound to the
 * record's id, the side and the header's name), or, with no key, left out (`["redacted"]`).
 * Used by the journal's writer thread only.
 */
final class Scrub {
    static final Scrub NONE = new Scrub(Map.of(), List.of(), null);
    /** The tag of a string that held a Secret's text, of a sealed value, of a value left out. */
    static final String SECRET = "sec";
    static final String SEALED = "sealed";
    static final String REDACTED = "redacted";
    /** GCM's nonce and tag, in bytes. */
    static final int NONCE = 12;
    static final int TAG_BITS = 128;

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * A credential shorter than this is not looked for elsewhere in its record (a short cookie
     * value would match everywhere); the header itself is sealed whatever its length.
     */
    static final int MIN_PIECE = 8;

    /**
     * Names and texts to keep out, the longest text first (of two at one place, the longer is
     * named): the Secrets by key name, and for one record ({@link #forRequest}) the pieces of its
     * redacted request headers' values as `@INDEX#PIECE` ({@link #pieces}).
     */
    private final List<Map.Entry<String, String>> secrets;
    /** The same texts as bytes (one char per byte, ISO-8859-1), for bodies that are not text. */
    private final List<Map.Entry<String, String>> secretBytes;
    /** Lower case, each once; an array: looked at for every header of every record. */
    private final String[] redact;
    private final SecretKey key;
    private final SecureRandom random;
    /** The Scrub of the Secrets alone: what a sealed value's plaintext goes through (never its own pieces). */
    private final Scrub base;

    /**
     * @param secrets the app's Secret config values by key name (empty ones are ignored)
     * @param redact  header names whose values are sealed or left out (any case)
     * @param key     the journal key (AES, 256 bits), or null: redacted values are left out
     */
    Scrub(Map<String, String> secrets, Collection<String> redact, SecretKey key) {
        this(secrets.entrySet().stream().toList(), redact.stream().map(h -> h.toLowerCase(Locale.ROOT)).distinct()
                .toArray(String[]::new), key, new SecureRandom(), null);
    }

    private Scrub(List<Map.Entry<String, String>> needles, String[] redact, SecretKey key, SecureRandom random, Scrub base) {
        this.secrets = needles.stream().filter(e -> !e.getValue().isEmpty())
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> -e.getValue().length())
                        .thenComparing(e -> e.getKey().startsWith("@")) // of equal texts, a Secret is named as itself
                        .thenComparing(Map.Entry::getKey))
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        this.secretBytes = this.secrets.stream().map(e -> Map.entry(e.getKey(),
                new String(e.getValue().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))).toList();
        this.redact = redact;
        this.key = key;
        this.random = random;
        this.base = base == null ? this : base;
    }

    /**
     * The Scrub of one record: besides the Secrets, the pieces of its redacted request headers'
     * values (a bearer token, a cookie's value) wherever else they occur in the record (a handler
     * that passes the token to a query as it came), named `@INDEX#PIECE` after the header's place
     * among the request's headers; replay takes them from the opened header again.
     */
    Scrub forRequest(List<Header> headers) {
        var needles = new ArrayList<Map.Entry<String, String>>(secrets);
        for (int i = 0; i < headers.size(); i++) {
            if (!redacts(headers.get(i).name())) continue;
            List<String> pieces = pieces(headers.get(i).value());
            for (int j = 0; j < pieces.size(); j++) needles.add(Map.entry("@" + i + "#" + j, pieces.get(j)));
        }
        return needles.size() == secrets.size() ? this : new Scrub(needles, redact, key, random, base);
    }

    /**
     * The pieces of a credential's value looked for elsewhere in its record, in a fixed order: the
     * value, what follows its scheme (`Bearer TOKEN`), each `name=value`'s value (`Cookie`); those
     * shorter than {@link #MIN_PIECE} left out.
     */
    static List<String> pieces(String value) {
        var out = new java.util.LinkedHashSet<String>();
        piece(out, value);
        int space = value.indexOf(' ');
        if (space >= 0) piece(out, value.substring(space + 1).strip());
        for (String part : value.split(";")) {
            int eq = part.indexOf('=');
            if (eq >= 0) piece(out, part.substring(eq + 1).strip());
        }
        return List.copyOf(out);
    }

    private static void piece(Set<String> out, String s) { if (s.length() >= MIN_PIECE) out.add(s); }

    /** True when headers of this name are sealed or left out. */
    /** True when no text is kept out of strings: {@link #string} writes every string as it is. */
    boolean none() { return secrets.isEmpty(); }

    boolean redacts(String header) {
        // a few names: no lower-cased copy per header (a Set's iterator here was 8 % of the writer's time)
        for (String r : redact) if (r.length() == header.length() && r.equalsIgnoreCase(header)) return true;
        return false;
    }

    /** `s` as a JSON string, or as `["sec", text, name, text, …]` when a Secret's text occurs in it. */
    void string(JsonGenerator g, String s) throws IOException {
        List<String> parts = split(s, secrets);
        if (parts == null) {
            g.writeString(s);
            return;
        }
        g.writeStartArray();
        g.writeString(SECRET);
        for (String p : parts) g.writeString(p);
        g.writeEndArray();
    }

    /** Bytes in base64, or as `["sec", base64, name, base64, …]` when a Secret's UTF-8 bytes occur in them. */
    void bytes(JsonGenerator g, byte[] b) throws IOException {
        List<String> parts = split(new String(b, StandardCharsets.ISO_8859_1), secretBytes);
        if (parts == null) {
            g.writeString(Base64.getEncoder().encodeToString(b));
            return;
        }
        g.writeStartArray();
        g.writeString(SECRET);
        for (int i = 0; i < parts.size(); i++)
            g.writeString(i % 2 == 1 ? parts.get(i)
                    : Base64.getEncoder().encodeToString(parts.get(i).getBytes(StandardCharsets.ISO_8859_1)));
        g.writeEndArray();
    }

    /**
     * `s` cut at each Secret's text: literal, name, literal, … (always a literal last); null when
     * none occurs.
     */
    private static List<String> split(String s, List<Map.Entry<String, String>> needles) {
        if (needles.isEmpty()) return null;
        List<String> parts = null;
        int from = 0;
        while (true) {
            int at = -1;
            Map.Entry<String, String> which = null;
            for (var e : needles) {
                int i = s.indexOf(e.getValue(), from);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    which = e;
                }
            }
            if (which == null) break;
            if (parts == null) parts = new ArrayList<>();
            parts.add(s.substring(from, at));
            parts.add(which.getKey());
            from = at + which.getValue().length();
        }
        if (parts == null) return null;
        parts.add(s.substring(from));
        return parts;
    }

    /** One header as `[name, value]`, its value sealed or left out when its name is redacted. */
    void header(JsonGenerator g, String id, String side, Header h) throws IOException {
        g.writeStartArray();
        g.writeString(h.name());
        if (!redacts(h.name())) string(g, h.value());
        else if (key == null) {
            g.writeStartArray();
            g.writeString(REDACTED);
            g.writeEndArray();
        } else {
            g.writeStartArray();
            g.writeString(SEALED);
            g.writeString(seal(id, side, h.name(), h.value()));
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    /** The value's journal string form (a Secret in it named, never its text), encrypted: base64 of nonce and ciphertext. */
    private String seal(String id, String side, String name, String value) throws IOException {
        var plain = new ByteArrayOutputStream(value.length() + 16);
        try (JsonGenerator p = JSON.createGenerator(plain)) {
            base.string(p, value);
        }
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(id, side, name));
            byte[] sealed = c.doFinal(plain.toByteArray());
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new UncheckedIOException(new IOException("journal: sealing a header failed: " + e.getMessage(), e));
        }
    }

    /** What a sealed value is bound to: its record, `request` or `response`, its header's name. */
    static byte[] aad(String id, String side, String name) {
        return (id + "\n" + side + "\n" + name.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
    }
}
