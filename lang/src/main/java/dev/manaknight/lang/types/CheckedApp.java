package dev.manaknight.lang.types;

import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.Setting;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.source.Span;
import java.util.List;

/**
 * Everything the checker proved, in the shape code generation consumes.
 *
 * @param localNames where a local variable (a parameter, a `let` or `var`, a loop, pattern or
 *                   lambda binding) is named: at its binding, each read and each assignment. Not
 *                   compiled; for editors, which tell a local from a declaration of the same name.
 */
public record CheckedApp(List<TypeDef> types, List<EffectOp> effects, List<Fn> functions,
                         List<RouteInfo> routes, List<TestInfo> tests, List<Setting> settings,
                         List<Span> localNames) {

    /**
     * One function body to compile. `params` are slots 0..n-1; `locals` is the number of slots
     * the body uses in all (parameters, bindings, scratch).
     */
    public record Fn(String name, String file, List<Ty> params, Ty result, int capabilities, TExpr body,
                     int locals, Span span) {}

    /** An `api` handler: its function index and the manifest entry (inputs, statuses). */
    public record RouteInfo(int function, Route.Source[] sources, List<String> names, List<String> wireNames,
                            List<Ty> types, List<dev.manaknight.lang.bytecode.Constant> defaults,
                            dev.manaknight.lang.model.HttpMethod method, String path, int capabilities,
                            List<ResponseInfo> responses, String file, int line) {}

    /** A `respond` site: status (0 when computed), body kind, body type (null without a body). */
    public record ResponseInfo(int status, Route.BodyKind body, Ty type) {}

    public record TestInfo(String name, int function, int capabilities, String file, int line) {}
}
