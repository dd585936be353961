package dev.manaknight.runtime.journal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Gives a segment's pages in the OS page cache back once they are written: a journal is written
 * once and read rarely, and kept cached it would grow the page cache by every byte written
 * (tens of MB a second under load), pushing out the database's pages and making the kernel find
 * a fresh page for each new one. Dropped pages are reused by the next writes instead.
 *
 * <p>Linux's {@code posix_fadvise(POSIX_FADV_DONTNEED)} through the FFM API, on a descriptor of
 * its own (the advice is about the file's cache, whichever descriptor gives it). Pages still
 * dirty are not dropped: the call starts their writeback, and the next call over the same range
 * drops them, so {@link Segments} gives each range twice. Where the call is unavailable (another
 * OS, native access denied) {@link #drop} does nothing: the advice only saves memory and time.
 */
final class PageCache {
    private PageCache() {}

    /** Linux's O_RDONLY | O_CLOEXEC (the same on x86-64 and arm64). */
    private static final int OPEN_FLAGS = 0x80000;
    /** Linux's POSIX_FADV_DONTNEED. */
    private static final int DONTNEED = 4;

    /** open(2), close(2) and posix_fadvise(2); null when unavailable. Immutable after class initialisation. */
    private static final MethodHandle[] CALLS = lookup();

    private static MethodHandle[] lookup() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return null;
        try {
            Linker linker = Linker.nativeLinker();
            var lookup = linker.defaultLookup();
            MethodHandle open = linker.downcallHandle(lookup.find("open").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(2));
            MethodHandle close = linker.downcallHandle(lookup.find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle fadvise = linker.downcallHandle(lookup.find("posix_fadvise").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            return new MethodHandle[] {open, close, fadvise};
        } catch (Throwable unavailable) {
            return null;
        }
    }

    /** True when {@link #drop} can advise the kernel here. */
    static boolean available() { return CALLS != null; }

    /**
     * Asks the kernel to drop `file`'s cached pages from byte `from` to `to`; answers whether the
     * advice was given (false: unavailable, or the file could not be opened). Never throws.
     */
    static boolean drop(Path file, long from, long to) {
        if (CALLS == null || to <= from) return false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(file.toAbsolutePath().toString());
            int fd = (int) CALLS[0].invokeExact(name, OPEN_FLAGS, 0);
            if (fd < 0) return false;
            try {
                return (int) CALLS[2].invokeExact(fd, from, to - from, DONTNEED) == 0;
            } finally {
                int ignored = (int) CALLS[1].invokeExact(fd);
            }
        } catch (Throwable e) {
            return false;
        }
    }
}
