package dev.manaknight.lsp;

import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.Token;
import org.eclipse.lsp4j.Location;

/** Go to definition: from a name to the type, enum, function, constant or `db` query it names. */
final class Definitions {
    private Definitions() {}

    static Location definition(Analysis app, String name, int offset) {
        SourceFile file = app.files().get(name);
        if (file == null) return null;
        Tokens.NameAt at = Tokens.nameAt(file, offset);
        if (at == null) return null;
        Token receiver = at.receiver();
        boolean afterDb = receiver != null && receiver.isWord("db");
        if (receiver != null && !afterDb) return null; // a field, method or effect operation: no declaration in source
        Declarations.Named d = Declarations.find(app, at.name().text(), afterDb);
        if (d == null) return null;
        String uri = app.path(d.name().span().file().name()).toUri().toString();
        return new Location(uri, Positions.range(d.name().span()));
    }
}
