package dev.manaknight.runtime.openapi;

import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import java.math.BigDecimal;
import java.util.List;

/** Hand-built modules for the OpenAPI tests: the route manifest and type table only, no code. */
final class Modules {
    private Modules() {}

    static final TypeDef USER = new TypeDef.RecordDef("User", List.of(
            new TypeDef.FieldDef("id", Type.INT),
            new TypeDef.FieldDef("name", Type.STRING),
            new TypeDef.FieldDef("email", Type.STRING)));

    /** The seed program: `GET /users/:id` answering `json(user)` or `status 404`. */
    static Module seed() {
        var route = new Route(HttpMethod.GET, "/users/:id", 0,
                List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.INT, null)), 1,
                List.of(new Route.Response(200, Route.BodyKind.JSON, new Type.Named("User")),
                        new Route.Response(404, Route.BodyKind.NONE, Type.UNIT)),
                "users.mnk", 1);
        return module(List.of(USER), List.of(route));
    }

    /** A transfer handler plus types that exercise every mapping rule. */
    static Module transfers() {
        var role = new TypeDef.EnumDef("Role", List.of(
                new TypeDef.VariantDef("admin", List.of()),
                new TypeDef.VariantDef("member", List.of())));
        var state = new TypeDef.EnumDef("State", List.of(
                new TypeDef.VariantDef("active", List.of()),
                new TypeDef.VariantDef("suspended", List.of(new TypeDef.FieldDef("reason", Type.STRING)))));
        var newTransfer = new TypeDef.RecordDef("NewTransfer", List.of(
                new TypeDef.FieldDef("to", Type.INT),
                new TypeDef.FieldDef("amount", Type.DECIMAL),
                new TypeDef.FieldDef("memo", Type.optionOf(Type.STRING))));
        var transfer = new TypeDef.RecordDef("Transfer", List.of(
                new TypeDef.FieldDef("id", Type.INT),
                new TypeDef.FieldDef("amount", Type.DECIMAL),
                new TypeDef.FieldDef("rate", Type.FLOAT),
                new TypeDef.FieldDef("done", Type.BOOL),
                new TypeDef.FieldDef("tags", new Type.MapOf(Type.STRING)),
                new TypeDef.FieldDef("extra", Type.JSON),
                new TypeDef.FieldDef("nothing", Type.UNIT),
                new TypeDef.FieldDef("owner", Type.optionOf(new Type.Named("Role"))),
                new TypeDef.FieldDef("state", new Type.Named("State")),
                new TypeDef.FieldDef("check", new Type.ResultOf(Type.INT, Type.STRING))));
        var transferRoute = new Route(HttpMethod.POST, "/accounts/:id/transfers", 1,
                List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.INT, null),
                        new Route.Input(Route.Source.QUERY, "dryRun", "dryRun", Type.BOOL, new Constant.IntConst(0)),
                        new Route.Input(Route.Source.QUERY, "tag", "tag", Type.listOf(Type.STRING), null),
                        new Route.Input(Route.Source.QUERY, "note", "note", Type.optionOf(Type.STRING), null),
                        new Route.Input(Route.Source.QUERY, "role", "role", new Type.Named("Role"), new Constant.StrConst("member")),
                        new Route.Input(Route.Source.QUERY, "fee", "fee", Type.DECIMAL, new Constant.DecConst(new BigDecimal("0.50"))),
                        new Route.Input(Route.Source.HEADER, "idempotencyKey", "Idempotency-Key", Type.STRING, null),
                        new Route.Input(Route.Source.BODY, "t", "t", new Type.Named("NewTransfer"), null)),
                7,
                List.of(new Route.Response(422, Route.BodyKind.TEXT, Type.STRING),
                        new Route.Response(201, Route.BodyKind.JSON, new Type.Named("Transfer"))),
                "transfers.mnk", 3);
        var listRoute = new Route(HttpMethod.GET, "/accounts/:id/transfers", 2,
                List.of(new Route.Input(Route.Source.PATH, "id", "id", Type.INT, null)), 1,
                List.of(new Route.Response(200, Route.BodyKind.JSON, Type.listOf(new Type.Named("Transfer"))),
                        new Route.Response(0, Route.BodyKind.NONE, Type.UNIT)),
                "transfers.mnk", 20);
        var health = new Route(HttpMethod.GET, "/health", 3, List.of(), 0,
                List.of(new Route.Response(200, Route.BodyKind.TEXT, Type.STRING),
                        new Route.Response(200, Route.BodyKind.JSON, Type.JSON)),
                "health.mnk", 1);
        return module(List.of(role, state, newTransfer, transfer), List.of(transferRoute, listRoute, health));
    }

    static Module module(List<TypeDef> types, List<Route> routes) {
        return new Module(List.of(), types, List.of(), List.of(), List.of(), routes, List.of());
    }
}
