package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: skipped tests (PostgreSQL, TCP handoff) printed no reason: surefire's summary only
 * counts them. `bin/skipped-tests.sh`, which `./test` runs after Maven, names each with its reason.
 */
class SkippedTestsScriptTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir Path dir;

    @Test void eachSkippedTestIsNamedWithItsReason() throws Exception {
        Path report = Files.writeString(dir.resolve("TEST-dev.x.T.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="dev.x.T" tests="4" skipped="3">
                  <testcase name="runs" classname="dev.x.T" time="0.1"/>
                  <testcase name="needsPg" classname="dev.x.T" time="0.0">
                    <skipped type="org.opentest4j.TestAbortedException"><![CDATA[org.opentest4j.TestAbortedException: \
                Assumption failed: MANAKNIGHT_TEST_PG_URL is not set
                	at dev.x.T.needsPg(T.java:22)
                ]]></skipped>
                  </testcase>
                  <testcase name="disabled" classname="dev.x.T" time="0.0">
                    <skipped message="waits on &quot;issue 9&quot; &amp; more"/>
                  </testcase>
                  <testcase name="bare" classname="dev.x.T" time="0.0">
                    <skipped/>
                  </testcase>
                </testsuite>
                """);
        Process p = new ProcessBuilder("bash", ROOT.resolve("bin/skipped-tests.sh").toString(), report.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script ended");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("""
                skipped: dev.x.T.needsPg: MANAKNIGHT_TEST_PG_URL is not set
                skipped: dev.x.T.disabled: waits on "issue 9" & more
                skipped: dev.x.T.bare: (no reason given)
                """, out);
        assertTrue(Files.readString(ROOT.resolve("test")).contains("bin/skipped-tests.sh"), "./test runs it after Maven");
    }
}
