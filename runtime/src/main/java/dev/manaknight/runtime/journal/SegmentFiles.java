package dev.manaknight.runtime.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Creates a journal segment's file: {@link #DISK}, or a test's (a full disk, a slow fsync). */
@FunctionalInterface
public interface SegmentFiles {
    FileChannel create(Path file) throws IOException;

    /** A new file, never one that exists. */
    SegmentFiles DISK = file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
}
