package dev.manaknight.lsp;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.syntax.TokenKind;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import dev.manaknight.lang.syntax.ast.TypeExpr;
import dev.manaknight.lang.types.CheckedApp;
import dev.manaknight.lang.types.MethodNames;
import dev.manaknight.lang.types.TExpr;
import dev.manaknight.lang.types.TWalk;
import dev.manaknight.lang.types.Ty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;

/**
 * Completion. After `db.`: the app's queries; after `log.`, `clock.`, `random.`, `password.`: the
 * effect's operations; after an enum's name: its variants; after any other expression: the
 * fields of its record type and the built-in methods of its type, the type read from the last
 * checked version of the app (the text being typed rarely parses). Elsewhere: the app's
 * declarations, the effects and the keywords.
 */
final class Completions {
    private Completions() {}

    /**
     * @param text  the document's current text
     * @param typed the app as last checked (maybe the current analysis), or null
     */
    static List<CompletionItem> complete(Analysis current, Analysis typed, String name, String text, int offset) {
        int start = offset;
        while (start > 0 && isNamePart(text.charAt(start - 1))) start--;
        String partial = text.substring(start, offset);
        var items = new LinkedHashMap<String, CompletionItem>();
        if (start > 0 && text.charAt(start - 1) == '.') {
            String receiver = receiverBefore(text, start - 1);
            if (!receiver.isEmpty()) members(current, typed, name, receiver, text, offset, items);
        } else {
            for (Declarations.Named d : Declarations.of(current)) {
                if (d.kind() != Declarations.Kind.QUERY) add(items, d.name().name(), kind(d.kind()), null);
            }
            for (Capability c : Capability.values()) add(items, c.sourceName(), CompletionItemKind.Module, "effect");
            for (TokenKind k : TokenKind.values()) if (k.isKeyword()) add(items, k.spelling, CompletionItemKind.Keyword, null);
        }
        return items.values().stream().filter(i -> i.getLabel().startsWith(partial)).toList();
    }

    private static void members(Analysis current, Analysis typed, String name, String receiver, String text, int offset,
                                Map<String, CompletionItem> items) {
        if (receiver.equals("db")) {
            for (Declarations.Named d : Declarations.of(current)) {
                if (d.kind() != Declarations.Kind.QUERY) continue;
                add(items, d.name().name(), CompletionItemKind.Method, header(d.query()));
            }
            return;
        }
        var capability = Capability.bySourceName(receiver);
        if (capability.isPresent()) {
            for (EffectOp op : EffectOp.BUILT_IN) {
                if (op.capability() != capability.get()) continue;
                add(items, op.name(), CompletionItemKind.Function, op.result().toString());
            }
            return;
        }
        for (String f : MethodNames.functionsOf(receiver)) add(items, f, CompletionItemKind.Function, receiver + " function");
        for (Declarations.Named d : Declarations.of(current)) {
            if (d.kind() == Declarations.Kind.ENUM && d.name().name().equals(receiver)) {
                for (Decl.Variant v : ((Decl.EnumDecl) d.decl()).variants())
                    add(items, v.name().name(), CompletionItemKind.EnumMember, null);
                return;
            }
        }
        if (typed == null) return;
        String type = typeOf(typed, name, receiver, lineOf(text, offset));
        if (type == null) return;
        for (TypeDef t : typed.checked().types()) {
            if (t instanceof TypeDef.RecordDef r && r.name().equals(type)) {
                for (TypeDef.FieldDef f : r.fields()) add(items, f.name(), CompletionItemKind.Field, f.type().toString());
            }
        }
        for (String m : MethodNames.of(type)) add(items, m, CompletionItemKind.Method, type + " method");
    }

    /** The name of the receiver's type: from a checked expression with the same text, else a parameter or input. */
    private static String typeOf(Analysis typed, String name, String receiver, int line) {
        TExpr[] best = {null};
        int[] distance = {Integer.MAX_VALUE};
        for (CheckedApp.Fn fn : typed.checked().functions()) {
            if (!name.equals(fn.file())) continue;
            TWalk.forEach(fn.body(), e -> {
                var s = e.span();
                if (s == null || !s.file().text().substring(s.start(), s.end()).equals(receiver)) return;
                int d = Math.abs(s.file().line(s.start()) - line);
                if (d < distance[0]) {
                    distance[0] = d;
                    best[0] = e;
                }
            });
        }
        if (best[0] != null && Ty.prune(best[0].ty()) instanceof Ty.Con c) return c.name();
        SourceUnit unit = typed.units().get(name);
        if (unit == null) return null;
        for (Decl d : unit.decls()) {
            switch (d) {
                case Decl.FnDecl f -> {
                    for (Decl.Param p : f.params()) if (p.name().name().equals(receiver)) return p.type().name().name();
                }
                case Decl.ApiDecl a -> {
                    for (Decl.Input in : a.inputs())
                        if (in.name().name().equals(receiver) && in.type() != null) return typeName(in.type());
                }
                default -> {}
            }
        }
        return null;
    }

    private static String typeName(TypeExpr t) {
        return t.name().name();
    }

    /** The expression before the `.` at `dot`: a dotted chain of names (`u.address`), or "" for anything else. */
    private static String receiverBefore(String text, int dot) {
        int i = dot;
        while (i > 0 && (isNamePart(text.charAt(i - 1)) || text.charAt(i - 1) == '.')) i--;
        String r = text.substring(i, dot);
        return r.isEmpty() || r.startsWith(".") || Character.isDigit(r.charAt(0)) ? "" : r;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    private static String header(Decl.Query q) {
        var sb = new StringBuilder("(");
        for (int i = 0; i < q.params().size(); i++) {
            Decl.Param p = q.params().get(i);
            sb.append(i == 0 ? "" : ", ").append(p.name().name()).append(": ").append(p.type());
        }
        return sb.append("): ").append(q.result()).toString();
    }

    private static CompletionItemKind kind(Declarations.Kind k) {
        return switch (k) {
            case TYPE -> CompletionItemKind.Struct;
            case ENUM -> CompletionItemKind.Enum;
            case FUNCTION -> CompletionItemKind.Function;
            case CONSTANT -> CompletionItemKind.Constant;
            case QUERY -> CompletionItemKind.Method;
        };
    }

    private static void add(Map<String, CompletionItem> items, String label, CompletionItemKind kind, String detail) {
        var item = new CompletionItem(label);
        item.setKind(kind);
        if (detail != null) item.setDetail(detail);
        items.putIfAbsent(label, item);
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
