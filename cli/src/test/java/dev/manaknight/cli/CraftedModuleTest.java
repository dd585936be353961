package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.ModuleWriter;
import dev.manaknight.lang.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 (item 10): a crafted `.mkb` that the runtime would refuse when it loads it is refused
 * by the verifier first: `serve` exits 65 with the verification errors, not 70 at start.
 */
class CraftedModuleTest {
    @TempDir Path dir;

    /** The seed app with its query's `:id` renamed to `:userId`, which is no parameter of `findUser`. */
    private Path renamedSqlParameter() throws Exception {
        Module m = Compiler.compile(List.of(new SourceFile("users.mnk", RealToolchainTest.SEED),
                new SourceFile("types.mnk", RealToolchainTest.TYPES)));
        var effects = new ArrayList<EffectOp>();
        for (EffectOp op : m.effects())
            effects.add(op.sql() == null ? op : new EffectOp(op.capability(), op.name(), op.params(), op.result(),
                    op.sql().replace(":id", ":userId")));
        Module crafted = new Module(m.constants(), m.types(), m.typeRefs(), m.functions(), effects, m.routes(), m.tests());
        return Files.write(dir.resolve("users.mkb"), ModuleWriter.toBytes(crafted));
    }

    @Test void serveRefusesAModuleWhoseSqlNamesNoParameter() throws Exception {
        Path mkb = renamedSqlParameter();
        Cli r = Cli.run(AppLoader.standard(), "serve", "--port", "0", mkb.toString());
        assertEquals(65, r.code(), r.toString());
        assertTrue(r.err().contains(mkb + ": the module failed verification"), r.toString());
        assertTrue(r.err().contains("effect E0 db.findUser: the SQL names `:userId`, which is not a parameter"), r.toString());
    }

    @Test void checkSaysTheSame() throws Exception {
        Cli r = Cli.run(AppLoader.standard(), "check", renamedSqlParameter().toString());
        assertEquals(65, r.code(), r.toString());
        assertTrue(r.err().contains("the SQL names `:userId`, which is not a parameter"), r.toString());
    }
}
