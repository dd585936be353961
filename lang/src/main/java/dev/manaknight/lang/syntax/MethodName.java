package dev.manaknight.lang.syntax;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.model.HttpMethod;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads an HTTP method name (`GET`) in an `api` header or a `request` expression. */
final class MethodName {
    private MethodName() {}

    private static final String ALL = Arrays.stream(HttpMethod.values()).map(Enum::name)
            .collect(Collectors.joining(", "));

    /** The method `t` names, or null after reporting why it names none. */
    static HttpMethod parse(Token t, Cursor in) {
        if (t.kind() == TokenKind.IDENT) {
            for (HttpMethod m : HttpMethod.values()) if (m.name().equals(t.text())) return m;
        }
        if (t.kind() == TokenKind.ERROR) return null;
        String upper = t.text().toUpperCase(Locale.ROOT);
        String hint;
        if (upper.equals("HEAD")) {
            hint = "HEAD is answered from the GET route automatically";
        } else if (Arrays.stream(HttpMethod.values()).anyMatch(m -> m.name().equals(upper))) {
            hint = "methods are written in capitals: `" + upper + "`";
        } else {
            hint = "the methods are " + ALL;
        }
        in.report(Diagnostic.error(ErrorCode.BAD_METHOD, "unknown HTTP method " + t.describe(), t.span(),
                "not an HTTP method").withHint(hint));
        return null;
    }
}
