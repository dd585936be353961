package dev.manaknight.runtime.input;

import dev.manaknight.runtime.route.PathSegments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed `application/x-www-form-urlencoded` query: every value of each key, in order. */
public record QueryString(Map<String, List<String>> values) {
    /** Parses `a=1&b=x+y&a=2`; a malformed escape throws IllegalArgumentException. */
    public static QueryString parse(String raw) {
        var out = new LinkedHashMap<String, List<String>>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String k = PathSegments.decode(eq < 0 ? pair : pair.substring(0, eq), true);
                String v = eq < 0 ? "" : PathSegments.decode(pair.substring(eq + 1), true);
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return new QueryString(out);
    }

    public List<String> all(String key) { return values.getOrDefault(key, List.of()); }
}
