package dev.manaknight.lang.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 13: the order and the joins of the verifier's types, and the size it follows. */
class LatticeTest {
    private static final VType INT = VType.Scalar.INT;
    private static final VType STRING = VType.Scalar.STRING;
    private static final VType NOTHING = VType.Nothing.NOTHING;

    @Test
    void containersAreCovariantAndNothingFitsEveryReference() {
        assertTrue(Lattice.fits(new VType.ListOf(NOTHING), new VType.ListOf(STRING)));
        assertTrue(Lattice.fits(new VType.ResultOf(INT, NOTHING), new VType.ResultOf(INT, STRING)));
        assertFalse(Lattice.fits(new VType.ListOf(INT), new VType.ListOf(STRING)));
        assertFalse(Lattice.fits(NOTHING, VType.Prim.P), "Nothing is a reference");
        assertFalse(Lattice.fits(VType.Prim.P, INT), "a P is not a boxed Int");
    }

    @Test
    void buildersAreInvariant() {
        assertFalse(Lattice.fits(new VType.Builder(NOTHING), new VType.Builder(INT)));
        assertNull(Lattice.join(new VType.Builder(NOTHING), new VType.Builder(INT)));
        assertEquals(new VType.Builder(INT), Lattice.join(new VType.Builder(INT), new VType.Builder(INT)));
    }

    @Test
    void joinsFillInNothing() {
        assertEquals(new VType.ResultOf(INT, STRING), Lattice.join(new VType.ResultOf(INT, NOTHING),
                new VType.ResultOf(NOTHING, STRING)));
        assertEquals(new VType.OptionOf(INT), Lattice.join(new VType.OptionOf(NOTHING), new VType.OptionOf(INT)));
        assertNull(Lattice.join(new VType.ListOf(INT), new VType.ListOf(STRING)));
        assertNull(Lattice.join(VType.Prim.P, NOTHING));
        assertNull(Lattice.join(new VType.Named(0, "A"), new VType.Named(1, "B")));
    }

    @Test
    void typesUpToTheNodeLimitAreFollowed() {
        VType tree = tree(8); // 255 nodes, nesting 7
        assertFalse(Lattice.tooLarge(new VType.OptionOf(tree)), "256 nodes");
        assertTrue(Lattice.tooLarge(new VType.OptionOf(new VType.OptionOf(tree))), "257 nodes");
        assertNull(Lattice.join(new VType.OptionOf(new VType.OptionOf(tree)), NOTHING), "a join past the limit is no join");
    }

    /** A full binary tree of Results with `levels` levels: 2^levels - 1 nodes. */
    private static VType tree(int levels) {
        return levels == 1 ? INT : new VType.ResultOf(tree(levels - 1), tree(levels - 1));
    }
}
