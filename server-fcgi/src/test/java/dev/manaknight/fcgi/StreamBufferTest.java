package dev.manaknight.fcgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class StreamBufferTest {
    @Test void oneRecordIsKeptAsItCameAndMoreAreJoinedWithoutTouchingIt() {
        var s = new StreamBuffer();
        assertEquals(0, s.toByteArray().length);
        byte[] first = {1, 2, 3};
        s.add(first);
        s.add(new byte[0]);
        assertSame(first, s.toByteArray(), "a stream of one record: no copy");
        s.add(new byte[] {4, 5});
        s.add(new byte[] {6});
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, s.toByteArray());
        assertEquals(6, s.size());
        assertArrayEquals(new byte[] {1, 2, 3}, first, "the borrowed record is never written to");
        s.reset();
        assertEquals(0, s.size());
        s.add(new byte[] {9});
        assertArrayEquals(new byte[] {9}, s.toByteArray());
    }
}
