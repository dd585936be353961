package dev.manaknight.bench;

import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.effects.EffectCall;
import dev.manaknight.runtime.journal.Attempt;
import dev.manaknight.runtime.journal.Chain;
import dev.manaknight.runtime.journal.JournalRecord;
import dev.manaknight.runtime.journal.RecordCodec;
import dev.manaknight.runtime.journal.RecordTexts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the journal's writer spends per record on `serve`'s GET /users/{id} (bench/RESULTS.md §21:
 * 5.3 µs of the writer thread's CPU per record under load): the record's JSON, and the chain's
 * hash over it. The record is the one the server writes for that request, with the same digests,
 * headers, database call and reply.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JournalEncodeBench {
    private static final String PROGRAM = "1ce096eb09fa420a4e5bb6f200baaf62c24077fe560800d96896ca553aaf1a30";
    private static final String CONFIG = "cc91669feb6ab5fb034b19d190b78c47937e2c5269c6906539c41999f44bc7c2";

    private JournalRecord[] records;
    private int next;
    private String prev = Chain.GENESIS;
    /** As the journal's writer keeps them, from record to record. */
    private final RecordTexts texts = new RecordTexts();

    @Setup public void setup() {
        records = new JournalRecord[256];
        for (int i = 0; i < records.length; i++) {
            int id = 1 + i * 37;
            var row = new Values.RecordValue(1, "User", new String[] {"id", "name", "email"},
                    new Object[] {(long) id, "user" + id, "user" + id + "@example.com"});
            var call = new EffectCall("db.findUser", List.of((long) id), new Values.Some(row), null);
            var request = Request.of("GET", "/users/" + id,
                    List.of(new Header("Host", "127.0.0.1:18193"), new Header("content-length", "0")), new byte[0], "127.0.0.1");
            String body = "{\"id\":" + id + ",\"name\":\"user" + id + "\",\"email\":\"user" + id + "@example.com\"}";
            var reply = new Reply(200, List.of(new Header("Content-Type", "application/json"),
                    new Header("X-Request-Id", "lz5brzzvu4-" + i)), body.getBytes(StandardCharsets.UTF_8));
            records[i] = new JournalRecord("lz5brzzvu4-" + i, Instant.parse("2026-12-04T01:26:32.721937571Z"), PROGRAM,
                    CONFIG, request, "GET /users/:id", List.of(new Attempt(List.of(call), false, false)), reply, 3, 566,
                    22764, null, null, 0, null, null);
        }
    }

    private JournalRecord nextRecord() {
        JournalRecord r = records[next];
        next = (next + 1) & (records.length - 1);
        return r;
    }

    /** The record's JSON alone. */
    @Benchmark public byte[] encode() { return RecordCodec.encode(nextRecord(), texts); }

    /** The JSON and the chain's SHA-256 over it (what the writer adds per record but the write). */
    @Benchmark public String encodeAndHash() {
        byte[] json = RecordCodec.encode(nextRecord(), texts);
        prev = Chain.hash(prev, json);
        return prev;
    }
}
