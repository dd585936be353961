package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each golden/parse/NAME.mnk renders its diagnostics exactly as NAME.expected says. */
class GoldenDiagnosticsTest {
    static final Path DIR = Path.of("src/test/resources/golden/parse");

    static Stream<Path> cases() throws IOException {
        try (var files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".mnk")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void diagnosticsMatchTheGoldenFile(Path input) throws IOException {
        String name = input.getFileName().toString();
        var result = Parser.parse(new SourceFile(name, Files.readString(input)));
        assertFalse(result.diagnostics().isEmpty(), name + " is meant to have errors");
        String rendered = CodeFrame.render(result.diagnostics());
        Golden.check(DIR.resolve(name.replace(".mnk", ".expected")), rendered);
    }
}
