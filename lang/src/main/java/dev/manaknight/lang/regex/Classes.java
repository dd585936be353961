package dev.manaknight.lang.regex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Character classes as sorted, merged, inclusive code-point ranges `lo0, hi0, lo1, hi1, …`. */
final class Classes {
    private Classes() {}

    static final int[] DIGIT = {'0', '9'};
    static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
    /** RE2's `\s`: tab, newline, form feed, carriage return, space (not `\v`). */
    static final int[] SPACE = {'\t', '\n', '\f', '\r', ' ', ' '};

    static int[] merge(List<int[]> ranges) {
        var sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(r -> r[0]));
        var out = new ArrayList<int[]>();
        for (int[] r : sorted) {
            if (!out.isEmpty() && r[0] <= out.getLast()[1] + 1) out.getLast()[1] = Math.max(out.getLast()[1], r[1]);
            else out.add(new int[] {r[0], r[1]});
        }
        int[] flat = new int[out.size() * 2];
        for (int i = 0; i < out.size(); i++) {
            flat[2 * i] = out.get(i)[0];
            flat[2 * i + 1] = out.get(i)[1];
        }
        return flat;
    }

    static int[] complement(int[] ranges) {
        var out = new ArrayList<int[]>();
        int next = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] > next) out.add(new int[] {next, ranges[i] - 1});
            next = ranges[i + 1] + 1;
        }
        if (next <= Character.MAX_CODE_POINT) out.add(new int[] {next, Character.MAX_CODE_POINT});
        return merge(out);
    }

    static boolean contains(int[] ranges, int cp) {
        int lo = 0, hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) hi = mid - 1;
            else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
            else return true;
        }
        return false;
    }

    static boolean isWord(int cp) {
        return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9' || cp == '_';
    }
}
