package dev.manaknight.runtime.route;

import dev.manaknight.lang.bytecode.Route;
import java.util.List;
import java.util.Map;

/** What the router found for a method and a path. */
public sealed interface RouteMatch {
    /** @param head the request was HEAD, served by this GET route without its body */
    record Found(Route route, Map<String, String> params, boolean head) implements RouteMatch {}

    /** No route has this path. */
    record NotFound() implements RouteMatch {}

    /** Some route has this path, none this method; `allow` is sorted and lists HEAD beside GET. */
    record MethodNotAllowed(List<String> allow) implements RouteMatch {}

    /** The path is not valid percent-encoded UTF-8. */
    record BadPath(String detail) implements RouteMatch {}
}
