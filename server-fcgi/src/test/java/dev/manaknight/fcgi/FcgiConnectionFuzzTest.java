package dev.manaknight.fcgi;

import static dev.manaknight.fcgi.FcgiProtocol.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder under seeded malformed input (FcgiFuzz): whatever arrives, in whatever pieces, it
 * either hands out well-formed requests and replies or fails with FcgiException (the caller closes
 * that connection). Any other exception would escape into the event loop, so it fails the test,
 * naming the seed, the case and the bytes.
 */
class FcgiConnectionFuzzTest {
    static final int CASES = 2000;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void malformedInputFailsOnlyWithFcgiException(long seed) {
        var limits = FcgiConnectionTest.LIMITS;
        var fuzz = new FcgiFuzz(seed);
        var corpus = FcgiFuzz.corpus();
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] input = fuzz.next(corpus);
            var sink = new FcgiConnectionTest.Capture();
            var conn = new FcgiConnection(limits, sink);
            try {
                for (byte[] piece : fuzz.chunks(input)) conn.feed(piece, 0, piece.length);
                conn.truncated();
                for (FcgiRequest r : sink.requests) {
                    assertTrue(r.params().size() <= limits.maxParams(), "params within the limit");
                    assertTrue(r.stdin().length <= limits.maxStdinBytes(), "stdin within the limit");
                    assertFalse(r.stdinTooLarge() && r.stdin().length > 0, "a body past the limit is dropped");
                    var ending = conn.end(r.id(), "Status: 200 OK\r\n\r\n".getBytes(), 0, FCGI_REQUEST_COMPLETE);
                    List<Records.Rec> end = Records.parse(ending.bytes());
                    assertEquals(FCGI_END_REQUEST, end.getLast().type());
                }
                // Everything written (GET_VALUES_RESULT, UNKNOWN_TYPE, END_REQUEST) went through
                // Records.parse in Capture.write, which fails on a malformed record.
            } catch (FcgiException e) {
                rejected++;
                assertTrue(e.getMessage().startsWith("fcgi: "), e.getMessage());
                var after = assertThrows(FcgiException.class, () -> conn.feed(new byte[8], 0, 8),
                        "a failed connection takes no more input");
                assertTrue(after.getMessage().contains("already failed"));
            } catch (Throwable t) {
                fail("seed " + seed + " case " + i + ": " + t + "\ninput " + FcgiFuzz.hex(input), t);
            }
        }
        // The mutations must reach both outcomes, or the test says nothing of one of them.
        assertTrue(rejected > CASES / 10 && rejected < CASES * 9 / 10, "rejected " + rejected + " of " + CASES);
    }
}
