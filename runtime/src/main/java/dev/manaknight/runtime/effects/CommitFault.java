package dev.manaknight.runtime.effects;

/**
 * How a request's commit failed, as the request core answers it and the journal records it, so
 * that a replay can fail the same commit the same way (journal.md, "Commits").
 *
 * @param kind    what went wrong
 * @param message the failure's message, as the log and a dev-mode body show it
 */
public record CommitFault(Kind kind, String message) {
    public enum Kind {
        /** The request stopped waiting for the commit (its deadline, a stop): it may still have landed. */
        ABANDONED,
        /** The database was out of reach ({@link SqlFault#UNAVAILABLE}) before the commit was sent: nothing was kept. */
        UNAVAILABLE,
        /** The database went out of reach after the commit was sent: it may or may not have landed. */
        UNKNOWN,
        /** The transaction lost a race ({@link SqlFault#CONFLICT}): nothing was kept; it may run again. */
        CONFLICT,
        /** Any other failure of the commit ({@link SqlFault#STATEMENT}): nothing was kept. */
        STATEMENT,
        /** Audit mode: the request's record could not be made durable, so the commit was not made. */
        JOURNAL;

        /** `conflict`: how the journal writes it. */
        public String slug() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public static CommitFault of(SqlFault fault, String message) {
        return new CommitFault(switch (fault) {
            case UNAVAILABLE -> Kind.UNAVAILABLE;
            case CONFLICT -> Kind.CONFLICT;
            case STATEMENT -> Kind.STATEMENT;
        }, message);
    }

    /** `conflict: could not serialize access…`: the journal's text of it. */
    @Override public String toString() { return kind.slug() + ": " + message; }

    /** The fault a journal's text names ({@link #toString}); an unknown kind is an IllegalArgumentException. */
    public static CommitFault parse(String text) {
        int colon = text.indexOf(": ");
        String kind = colon < 0 ? text : text.substring(0, colon);
        return new CommitFault(Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), colon < 0 ? "" : text.substring(colon + 2));
    }
}
