package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.effects.CommitFault;
import dev.manaknight.runtime.effects.EffectCall;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: what the journal keeps out of its files. A Secret's text, wherever it occurs (a
 * header, the query, a body, an effect's argument or result, a map key), is written as the key's
 * name; a redacted header's value is sealed under the journal key, or left out without one. Read
 * back with the Secret and the key, the record is the one written; `journal show`'s reading
 * shows placeholders; a reading that lacks one says why, and nothing of the value.
 */
class ScrubTest {
    static final String SECRET = "sk-live-5ecret-7f3a";
    static final String TOKEN = "tok-4b1d9e77c0ffee";
    static final SecretKey KEY = new SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), "AES");
    static final Map<String, String> SECRETS = Map.of("adminKey", SECRET);

    static JournalRecord record() {
        var map = new Values.MapValue(new String[] {"k" + SECRET}, new Object[] {SECRET + SECRET});
        var calls = List.of(new EffectCall("db.find", List.<Object>of("x" + SECRET + "y", 7L), new Values.Some(map), null),
                new EffectCall("db.other", List.<Object>of(1L), null, "db: failed near " + SECRET),
                // a handler that passes the bearer token to a query as it came: named after its header, not written
                new EffectCall("db.session", List.<Object>of(TOKEN), new Values.Some("ada"), null));
        byte[] binary = ("\u0000\u00ff" + SECRET).getBytes(StandardCharsets.UTF_8);
        binary[1] = (byte) 0xff; // not UTF-8: written as base64
        return new JournalRecord("inst-1", Instant.parse("2026-12-03T12:00:00Z"), "p".repeat(64), "c".repeat(64),
                new Request("POST", "/a/" + SECRET, "key=" + SECRET, List.of(new Header("Authorization", "Bearer " + TOKEN),
                        new Header("X-Admin-Key", SECRET), new Header("cookie", "s=" + TOKEN + "; k=" + SECRET)),
                        ("{\"key\":\"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8), ""),
                "POST /a/:k", List.of(new Attempt(calls, false, false, new CommitFault(CommitFault.Kind.STATEMENT, "no"))),
                new Reply(200, List.of(new Header("Set-Cookie", "s=" + TOKEN), new Header("X-Request-Id", "inst-1")), binary),
                1, 2, 3, null, null, 0);
    }

    private static void assertSameRecord(JournalRecord want, JournalRecord got) {
        assertEquals(RecordText.of(want), RecordText.of(got));
        assertArrayEquals(want.request().body(), got.request().body());
        assertArrayEquals(want.response().body(), got.response().body());
        assertEquals(want.request().headers(), got.request().headers());
        assertEquals(want.response().headers(), got.response().headers());
        assertEquals(want.attempts().getFirst().calls().getFirst().args(), got.attempts().getFirst().calls().getFirst().args());
        assertEquals(want.attempts().getFirst().commit(), got.attempts().getFirst().commit());
    }

    private static String text(byte[] json) { return new String(json, StandardCharsets.ISO_8859_1); }

    @Test void neitherTheSecretNorTheTokenIsWrittenYetTheRecordComesBackWithThem() throws Exception {
        byte[] json = RecordCodec.encode(record(), new Scrub(SECRETS, List.of("Authorization", "Cookie", "Set-Cookie"), KEY));
        String written = text(json);
        assertFalse(written.contains(SECRET), written);
        assertFalse(written.contains(TOKEN), written);
        assertFalse(written.contains(java.util.Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8))));
        assertTrue(written.contains("[\"X-Admin-Key\",[\"sec\",\"\",\"adminKey\",\"\"]]"), written);
        JournalRecord back = RecordCodec.decode(RecordCodec.tree(json), Reveal.with(SECRETS, KEY));
        assertNull(back.hidden());
        assertSameRecord(record(), back);
    }

    @Test void showPrintsPlaceholdersNeverTheValues() throws Exception {
        byte[] json = RecordCodec.encode(record(), new Scrub(SECRETS, List.of("Authorization", "Cookie", "Set-Cookie"), KEY));
        String shown = RecordText.of(RecordCodec.decode(RecordCodec.tree(json), Reveal.SHOW));
        assertFalse(shown.contains(SECRET), shown);
        assertFalse(shown.contains(TOKEN), shown);
        assertTrue(shown.contains("Authorization: ‹sealed›"), shown);
        assertTrue(shown.contains("X-Admin-Key: ‹secret adminKey›"), shown);
        assertTrue(shown.contains("db.find(\"x‹secret adminKey›y\", 7)"), shown);
        assertTrue(shown.contains("db.session(\"‹sealed›\")"), shown);
    }

    @Test void aReadingWithoutTheKeyOrTheSecretSaysWhyAndHoldsNeither() throws Exception {
        byte[] json = RecordCodec.encode(record(), new Scrub(SECRETS, List.of("Authorization", "Cookie", "Set-Cookie"), KEY));
        JournalRecord noKey = RecordCodec.decode(RecordCodec.tree(json), Reveal.with(SECRETS, null));
        assertTrue(noKey.hidden().contains("Authorization header is sealed: set MANAKNIGHT_JOURNAL_KEY"), noKey.hidden());
        var other = new SecretKeySpec(new byte[32], "AES");
        JournalRecord wrongKey = RecordCodec.decode(RecordCodec.tree(json), Reveal.with(SECRETS, other));
        assertTrue(wrongKey.hidden().contains("does not open with this MANAKNIGHT_JOURNAL_KEY"), wrongKey.hidden());
        JournalRecord noSecret = RecordCodec.decode(RecordCodec.tree(json), Reveal.with(Map.of(), KEY));
        assertTrue(noSecret.hidden().contains("the Secret `adminKey`"), noSecret.hidden());
        assertFalse(RecordText.of(noSecret).contains(SECRET));
    }

    @Test void withoutAKeyARedactedValueIsLeftOut() throws Exception {
        byte[] json = RecordCodec.encode(record(), new Scrub(SECRETS, List.of("authorization", "cookie", "set-cookie"), null));
        String written = text(json);
        assertFalse(written.contains(TOKEN), written);
        assertTrue(written.contains("[\"Authorization\",[\"redacted\"]]"), written);
        JournalRecord back = RecordCodec.decode(RecordCodec.tree(json), Reveal.with(SECRETS, KEY));
        assertTrue(back.hidden().contains("Authorization header was left out"), back.hidden());
    }

    @Test void aSealedValueIsBoundToItsRecordAndHeader() throws Exception {
        String json = text(RecordCodec.encode(record(), new Scrub(SECRETS, List.of("Authorization"), KEY)));
        // the same ciphertext moved to another record's id does not open
        String moved = json.replace("\"id\":\"inst-1\"", "\"id\":\"inst-2\"");
        JournalRecord back = RecordCodec.decode(RecordCodec.tree(moved.getBytes(StandardCharsets.ISO_8859_1)),
                Reveal.with(SECRETS, KEY));
        assertTrue(back.hidden().contains("does not open"), back.hidden());
    }

    /** Nothing to keep out: a record is written as before, plain strings. */
    @Test void withNothingToKeepOutStringsArePlain() {
        String written = text(RecordCodec.encode(record(), Scrub.NONE));
        assertTrue(written.contains("\"Bearer " + TOKEN + "\""), written);
        assertFalse(written.contains("\"sec\""), written);
    }
}
