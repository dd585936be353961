package dev.manaknight.lang.codegen;

import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.Function;
import dev.manaknight.lang.bytecode.Limits;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TestCase;
import dev.manaknight.lang.types.CheckedApp;
import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.types.Ty;
import dev.manaknight.lang.model.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Turns a checked app into a {@link Module}: pools, tables, the route manifest and every function's code. */
public final class Codegen {
    private final List<Constant> constants = new ArrayList<>();
    private final Map<Constant, Integer> constantIndex = new HashMap<>();
    private final List<Type> typeRefs = new ArrayList<>();
    private final Map<Type, Integer> typeRefIndex = new HashMap<>();
    final CheckedApp app;

    private Codegen(CheckedApp app) {
        this.app = app;
    }

    public static Module generate(CheckedApp app) {
        return new Codegen(app).run();
    }

    private Module run() {
        List<Function> functions = new ArrayList<>();
        for (CheckedApp.Fn fn : app.functions()) functions.add(new FunctionGen(this, fn).generate());
        List<Route> routes = new ArrayList<>();
        for (CheckedApp.RouteInfo r : app.routes()) {
            List<Route.Input> inputs = new ArrayList<>();
            for (int i = 0; i < r.names().size(); i++) {
                Type t = type(r.types().get(i));
                typeRef(t);
                inputs.add(new Route.Input(r.sources()[i], r.names().get(i), r.wireNames().get(i), t, r.defaults().get(i)));
            }
            var responses = new LinkedHashSet<Route.Response>();
            for (CheckedApp.ResponseInfo ri : r.responses()) {
                Type bt = ri.type() == null ? null : type(ri.type());
                if (bt != null) typeRef(bt);
                responses.add(new Route.Response(ri.status(), ri.body(), bt));
            }
            routes.add(new Route(r.method(), r.path(), r.function(), inputs, r.capabilities(), List.copyOf(responses), r.file(), r.line()));
        }
        List<TestCase> tests = new ArrayList<>();
        for (CheckedApp.TestInfo t : app.tests()) tests.add(new TestCase(t.name(), t.function(), t.capabilities(), t.file(), t.line()));
        return new Module(constants, app.types(), typeRefs, functions, app.effects(), routes, tests, app.settings());
    }

    int constant(Constant c) {
        return constantIndex.computeIfAbsent(c, k -> {
            if (constants.size() >= Limits.MAX_INDEX) throw new IllegalStateException("too many constants");
            constants.add(k);
            return constants.size() - 1;
        });
    }

    int typeRef(Type t) {
        return typeRefIndex.computeIfAbsent(t, k -> {
            typeRefs.add(k);
            return typeRefs.size() - 1;
        });
    }

    /** The resolved type; unresolved inference variables were reported by the checker. */
    static Type type(Ty t) {
        Type r = Ty.toType(t);
        if (r == null) throw new IllegalStateException("codegen: unresolved type " + Ty.show(t));
        return r;
    }

    /** The lane of a value of type `t`. */
    static Kind kind(Ty t) {
        return type(t).kind();
    }
}
