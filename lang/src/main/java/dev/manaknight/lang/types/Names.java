package dev.manaknight.lang.types;

import java.util.Collection;

/** "Did you mean …?" suggestions by edit distance. */
final class Names {
    private Names() {}

    /**
     * The closest candidate within a third of the name's length (at least 1 edit); else the one
     * candidate of 3 or more letters that the name starts with (`Boolean` -> `Bool`, `Integer` ->
     * `Int`); else null.
     */
    static String nearest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Math.max(1, name.length() / 3) + 1;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null ? best : shortenedFrom(name, candidates);
    }

    /** The only candidate (3+ letters) that `name` starts with, ignoring case; null if none or several. */
    private static String shortenedFrom(String name, Collection<String> candidates) {
        String found = null;
        String lower = name.toLowerCase();
        for (String c : candidates) {
            if (c.length() < 3 || !lower.startsWith(c.toLowerCase())) continue;
            if (found != null && !found.equals(c)) return null;
            found = c;
        }
        return found;
    }

    /** Optimal string alignment distance: edits and adjacent transpositions cost 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
        return d[a.length()][b.length()];
    }
}
