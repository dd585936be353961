package dev.manaknight.runtime.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * How a reader gives back what {@link Scrub} kept out of a record: for replay, a Secret's text
 * from the configuration it runs with and a sealed header opened with the journal key; for
 * `journal show`, placeholders (`‹secret adminKey›`, `‹sealed›`, `‹redacted›`) that never show
 * either. What cannot be given back reads as its placeholder, and the record says why
 * ({@link JournalRecord#hidden}), so that replay skips it rather than run it on a wrong value.
 */
public final class Reveal {
    /** `journal show`: placeholders only, whatever the configuration holds. */
    public static final Reveal SHOW = new Reveal(Map.of(), null, true);
    /** Neither Secrets nor a key: what cannot be given back is hidden. */
    public static final Reveal NOTHING = new Reveal(Map.of(), null, false);

    private final Map<String, String> secrets;
    private final SecretKey key;
    private final boolean show;

    private Reveal(Map<String, String> secrets, SecretKey key, boolean show) {
        this.secrets = Map.copyOf(secrets);
        this.key = key;
        this.show = show;
    }

    /**
     * @param secrets the Secret config values by key name, as the replaying configuration gives them
     * @param key     the journal key, or null
     */
    public static Reveal with(Map<String, String> secrets, SecretKey key) { return new Reveal(secrets, key, false); }

    /** The reading of one record: it remembers the first thing it could not give back. */
    Pass pass() { return new Pass(); }

    final class Pass {
        private String hidden;
        /** The pieces of the redacted request headers opened so far, by `@INDEX#PIECE` (Scrub#forRequest). */
        private final Map<String, String> pieces = new java.util.HashMap<>();
        /** The last header read was sealed and opened. */
        private boolean opened;

        /** Why a value of the record was not given back, or null. */
        String hidden() { return hidden; }

        private String hide(String why, String placeholder) {
            if (hidden == null) hidden = why;
            return placeholder;
        }

        /** A string as {@link Scrub#string} wrote it. */
        String string(JsonNode n) {
            if (n.isTextual()) return n.textValue();
            if (!n.isArray() || n.isEmpty() || !Scrub.SECRET.equals(n.get(0).textValue()))
                throw new IllegalArgumentException("not a journal string: " + n);
            var sb = new StringBuilder();
            for (int i = 1; i < n.size(); i++) sb.append(i % 2 == 1 ? n.get(i).textValue() : secret(n.get(i).textValue()));
            return sb.toString();
        }

        /** Bytes as {@link Scrub#bytes} wrote them. */
        byte[] bytes(JsonNode n) {
            if (n.isTextual()) return Base64.getDecoder().decode(n.textValue());
            if (!n.isArray() || n.isEmpty() || !Scrub.SECRET.equals(n.get(0).textValue()))
                throw new IllegalArgumentException("not journal bytes: " + n);
            var out = new java.io.ByteArrayOutputStream();
            for (int i = 1; i < n.size(); i++)
                out.writeBytes(i % 2 == 1 ? Base64.getDecoder().decode(n.get(i).textValue())
                        : secret(n.get(i).textValue()).getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        private String secret(String name) {
            if (name.startsWith("@")) { // a piece of a redacted request header, named where else it occurs
                String text = show ? null : pieces.get(name);
                return text != null ? text : show ? "‹sealed›" : hide("it holds a piece of a redacted header that could not "
                        + "be opened", "‹sealed›");
            }
            if (show) return "‹secret " + name + "›";
            String text = secrets.get(name);
            return text != null ? text : hide("it holds the Secret `" + name + "`, which this configuration does not give "
                    + "(set it in [app] or its MANAKNIGHT_APP_ variable)", "‹secret " + name + "›");
        }

        /**
         * A header's value as {@link Scrub#header} wrote it; an opened request header's pieces
         * are kept for the values that name them (`index`: its place among the request's headers).
         */
        String header(JsonNode v, String id, String side, String name, int index) {
            opened = false;
            String value = header(v, id, side, name);
            if (opened && side.equals("request")) {
                List<String> p = Scrub.pieces(value);
                for (int j = 0; j < p.size(); j++) pieces.put("@" + index + "#" + j, p.get(j));
            }
            return value;
        }

        private String header(JsonNode v, String id, String side, String name) {
            if (v.isTextual() || v.isArray() && !v.isEmpty() && Scrub.SECRET.equals(v.get(0).textValue())) return string(v);
            String tag = v.isArray() && !v.isEmpty() ? v.get(0).textValue() : null;
            if (Scrub.REDACTED.equals(tag))
                return show ? "‹redacted›" : hide("its " + name + " header was left out (the journal had no key to seal it)",
                        "‹redacted›");
            if (!Scrub.SEALED.equals(tag) || v.size() != 2)
                throw new IllegalArgumentException("not a journal header value: " + v);
            if (show) return "‹sealed›";
            if (key == null) return hide("its " + name + " header is sealed: set MANAKNIGHT_JOURNAL_KEY to the journal's key",
                    "‹sealed›");
            byte[] in = Base64.getDecoder().decode(v.get(1).textValue());
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(Scrub.TAG_BITS, in, 0, Scrub.NONCE));
                c.updateAAD(Scrub.aad(id, side, name));
                byte[] plain = c.doFinal(in, Scrub.NONCE, in.length - Scrub.NONCE);
                String value = string(RecordCodec.tree(plain));
                opened = true;
                return value;
            } catch (AEADBadTagException e) {
                return hide("its " + name + " header does not open with this MANAKNIGHT_JOURNAL_KEY (another key, or changed)",
                        "‹sealed›");
            } catch (GeneralSecurityException | IOException e) {
                return hide("its " + name + " header cannot be opened: " + e.getMessage(), "‹sealed›");
            }
        }
    }
}
