package dev.manaknight.runtime;

import dev.manaknight.runtime.route.RouteMatch;

/**
 * A request with its route looked up, once: what {@link RequestCore#dispatch} decided and
 * {@link RequestCore#handle(Dispatch)} runs, so a transport that asks where a request may run
 * does not pay for the routing twice.
 *
 * @param inline the request may run on the thread it arrived on (see {@link RequestCore#dispatch})
 */
public record Dispatch(Request request, RouteMatch match, boolean inline) {}
