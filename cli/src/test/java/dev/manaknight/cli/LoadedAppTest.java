package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedAppTest {
    @TempDir Path dir;

    @Test void nameIsTheDirectoryOrTheModuleFileWithoutExtension() throws Exception {
        Path app = Files.createDirectory(dir.resolve("users"));
        assertEquals("users", new LoadedApp(app, Program.trusted(TestModules.seed()), List.of()).name());
        assertEquals("shop", new LoadedApp(dir.resolve("shop.mkb"), Program.trusted(TestModules.seed()), List.of()).name());
    }

    @Test void compiledSourcesAreFoundByName() {
        var users = new SourceFile("api/users.mnk", "x");
        var lookup = new LoadedApp(dir, Program.trusted(TestModules.seed()), List.of(users)).sourceLookup();
        assertSame(users, lookup.apply("api/users.mnk"));
        assertNull(lookup.apply("other.mnk"));
    }

    @Test void aModuleFilesSourcesAreReadBesideIt() throws Exception {
        Files.createDirectory(dir.resolve("api"));
        Files.writeString(dir.resolve("api/users.mnk"), "type User { id: Int }\n");
        Files.writeString(dir.resolve("secret.txt"), "no");
        Path app = Files.createDirectory(dir.resolve("build"));
        Files.createDirectory(app.resolve("api"));
        Files.writeString(app.resolve("api/users.mnk"), "type User { id: Int }\n");
        var lookup = new LoadedApp(app.resolve("app.mkb"), Program.trusted(TestModules.seed()), List.of()).sourceLookup();

        SourceFile found = lookup.apply("api/users.mnk");
        assertEquals("api/users.mnk", found.name());
        assertEquals("type User { id: Int }", found.lineText(1));
        assertNull(lookup.apply("missing.mnk"));
        assertNull(lookup.apply("../secret.txt"), "never outside the module's folder");
        assertNull(lookup.apply("api"), "a directory is not a source");
    }
}
