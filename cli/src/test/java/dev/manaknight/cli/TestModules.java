package dev.manaknight.cli;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import java.util.List;

/** A hand-built module with the seed route (GET /users/:id): the manifest and type table, no code. */
final class TestModules {
    private TestModules() {}

    static Module seed() {
        var user = new TypeDef.RecordDef("User", List.of(
                new TypeDef.FieldDef("id", Type.INT),
                new TypeDef.FieldDef("name", Type.STRING),
                new TypeDef.FieldDef("email", Type.STRING)));
        var route = new Route(HttpMethod.GET, "/users/:id", 0,
                List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.INT, null)), 1,
                List.of(new Route.Response(200, Route.BodyKind.JSON, new Type.Named("User")),
                        new Route.Response(404, Route.BodyKind.NONE, Type.UNIT)),
                "users.mnk", 1);
        return new Module(List.of(), List.of(user), List.of(), List.of(), List.of(), List.of(route), List.of());
    }
}
