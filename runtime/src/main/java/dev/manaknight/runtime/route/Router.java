package dev.manaknight.runtime.route;

import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.model.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The route table: a trie of path segments built once from the module's routes. A literal
 * segment beats a parameter at the same position, decided per method, so `POST /users/me`
 * does not hide `GET /users/:id` for `GET /users/me`.
 */
public final class Router {
    private final Node root = new Node();

    public Router(List<Route> routes) {
        for (Route r : routes) {
            Node n = root;
            for (String seg : patternSegments(r.path())) {
                if (seg.startsWith(":")) {
                    if (n.param == null) n.param = new Node();
                    n = n.param;
                    n.paramNames.put(r, seg.substring(1));
                } else {
                    n = n.literals.computeIfAbsent(seg, k -> new Node());
                }
            }
            n.routes.add(r);
        }
    }

    /** Matches a method (as received, e.g. `HEAD`) and a raw, still-encoded path. */
    public RouteMatch match(String method, String rawPath) {
        List<String> segments;
        try {
            segments = PathSegments.split(rawPath);
        } catch (IllegalArgumentException e) {
            return new RouteMatch.BadPath(e.getMessage());
        }
        var candidates = new ArrayList<Candidate>();
        collect(root, segments, 0, new ArrayList<>(), candidates);
        if (candidates.isEmpty()) return new RouteMatch.NotFound();
        boolean head = method.equals("HEAD");
        String wanted = head ? "GET" : method;
        for (Candidate c : candidates)
            for (Route r : c.node.routes)
                if (r.method().name().equals(wanted)) return new RouteMatch.Found(r, params(r, c), head);
        var allow = new TreeSet<String>();
        for (Candidate c : candidates)
            for (Route r : c.node.routes) {
                allow.add(r.method().name());
                if (r.method() == HttpMethod.GET) allow.add("HEAD");
            }
        return new RouteMatch.MethodNotAllowed(List.copyOf(allow));
    }

    /** Depth-first, literal before parameter: candidates come out in priority order. */
    private static void collect(Node n, List<String> segs, int i, List<Node> trail, List<Candidate> out) {
        if (i == segs.size()) {
            if (!n.routes.isEmpty()) out.add(new Candidate(n, new ArrayList<>(trail), segs));
            return;
        }
        String seg = segs.get(i);
        Node lit = n.literals.get(seg);
        if (lit != null) {
            trail.add(null);
            collect(lit, segs, i + 1, trail, out);
            trail.removeLast();
        }
        if (n.param != null && !seg.isEmpty()) {
            trail.add(n.param);
            collect(n.param, segs, i + 1, trail, out);
            trail.removeLast();
        }
    }

    private static Map<String, String> params(Route r, Candidate c) {
        var out = new LinkedHashMap<String, String>();
        for (int i = 0; i < c.trail.size(); i++) {
            Node p = c.trail.get(i);
            if (p != null) out.put(p.paramNames.get(r), c.segments.get(i));
        }
        return out;
    }

    static List<String> patternSegments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? List.of() : List.of(p.split("/", -1));
    }

    /** One trie node; `paramNames` says what each route passing through calls this parameter. */
    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node param;
        final Map<Route, String> paramNames = new IdentityHashMap<>();
        final List<Route> routes = new ArrayList<>();
    }

    /** `trail[i]` is the parameter node used for segment i, or null for a literal. */
    private record Candidate(Node node, List<Node> trail, List<String> segments) {}
}
