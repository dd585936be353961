package dev.manaknight.lang.model;

/**
 * The VM's two value lanes. Int, Bool and Float live unboxed in the primitive lane (a long per
 * slot; a Float as its IEEE bits); everything else is a reference. The verifier tracks kinds so
 * that no instruction ever reads a slot of the wrong lane.
 */
public enum Kind {
    /** 64-bit primitive: Int, Bool (0/1), Float (raw IEEE-754 bits). */
    P,
    /** Reference: String, Decimal, List, Map, Option, Result, records, enums, Json, Unit. */
    R
}
