package dev.manaknight.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The JVM flags the `manaknight` launcher gives a server, read from where the launcher reads them. */
public final class LauncherFlags {
    /** The launcher's default heap cap (its MANAKNIGHT_HEAP default). */
    public static final String HEAP = "-Xmx256m";

    private static final Path COLLECTOR = Path.of("..", "bin", "jvm-gc.flags");

    private LauncherFlags() {}

    /** The collector flags of bin/jvm-gc.flags: the launcher's default when no collector is named. */
    public static List<String> collector() {
        try {
            return Files.readAllLines(COLLECTOR).stream()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .flatMap(line -> Arrays.stream(line.trim().split(" +")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the launcher's collector flags (" + COLLECTOR.toAbsolutePath() + ")", e);
        }
    }
}
