package dev.manaknight.runtime.journal;

import dev.manaknight.runtime.effects.CommitFault;

/**
 * Audit mode: what became of the commit a durable record held back (journal.md, "Commits"), a
 * line of its own after the record: `{"outcome":{"id":…,"run":N,"commit":"done"}}`, or
 * `"commit":"failed","fault":"conflict: …"`.
 *
 * @param run   which run of the handler (from 1) the commit ended
 * @param fault how the commit failed, or null: it committed
 */
public record CommitOutcome(String id, int run, CommitFault fault) {}
