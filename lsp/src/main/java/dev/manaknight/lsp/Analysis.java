package dev.manaknight.lsp;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.ParseResult;
import dev.manaknight.lang.syntax.Parser;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import dev.manaknight.lang.types.CheckedApp;
import dev.manaknight.lang.types.Checker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One app (a directory of `.mnk` files) compiled as `manaknight check` compiles it: every file
 * parsed, and checked only when the syntax is right (a partial tree would only add follow-on
 * errors). The diagnostics are exactly the compiler's (code generation reports none). `checked` is the typed tree when the files
 * parse (null otherwise), for hover and completion.
 *
 * @param units the parsed files by name (relative to `root`), possibly partial
 */
record Analysis(Path root, Map<String, SourceFile> files, Map<String, SourceUnit> units,
                List<Diagnostic> diagnostics, CheckedApp checked) {

    static Analysis of(Path root, Map<String, SourceFile> files) {
        var units = new LinkedHashMap<String, SourceUnit>();
        var diags = new ArrayList<Diagnostic>();
        for (var e : files.entrySet()) {
            ParseResult r = Parser.parse(e.getValue());
            units.put(e.getKey(), r.unit());
            diags.addAll(r.diagnostics());
        }
        if (!diags.isEmpty()) return new Analysis(root, files, units, diags, null);
        CheckedApp checked = Checker.check(List.copyOf(units.values()), diags);
        return new Analysis(root, files, units, diags, checked);
    }

    Path path(String name) {
        return root.resolve(name);
    }
}
