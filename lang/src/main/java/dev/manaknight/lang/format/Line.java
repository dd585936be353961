package dev.manaknight.lang.format;

import java.util.List;

/**
 * One source line as the formatter reads it: its pieces in order and its trailing `//` comment
 * (null when none). A line with neither is blank. Line breaks are significant in the language
 * (a statement ends at one), so the formatter keeps every line that holds something.
 */
record Line(List<Piece> pieces, String comment) {
    Line {
        pieces = List.copyOf(pieces);
    }

    boolean blank() {
        return pieces.isEmpty() && comment == null;
    }

    boolean commentOnly() {
        return pieces.isEmpty() && comment != null;
    }

    Piece first() {
        return pieces.getFirst();
    }

    Piece last() {
        return pieces.getLast();
    }
}
