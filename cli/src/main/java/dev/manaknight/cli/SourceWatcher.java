package dev.manaknight.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Watches folders, and the folders inside them, for saved files (the JDK's {@link WatchService},
 * inotify on Linux) and reports each burst of changes once: an editor saves in several steps (a
 * backup, a temporary file, a rename, a chmod), so a change is reported after {@link #QUIET} has
 * passed without another. Only paths `relevant` accepts count (and only they prolong a burst); a
 * folder created later is watched too. The callback runs on the watcher's own thread, one burst at
 * a time.
 */
final class SourceWatcher implements AutoCloseable {
    /**
     * The quiet time that ends a burst: editors' save steps come within a few milliseconds of each
     * other, and a reload started 80 ms after the last step is still well under what a person notices.
     */
    static final Duration QUIET = Duration.ofMillis(80);

    /** The longest a stop waits for a reload under way (compiling, opening the database, warming up). */
    static final Duration FINISH_WAIT = Duration.ofSeconds(10);

    private final WatchService service;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    private final Predicate<Path> relevant;
    private final Consumer<Set<Path>> onChange;
    private final Thread thread;

    private SourceWatcher(List<Path> roots, Predicate<Path> relevant, Consumer<Set<Path>> onChange) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.relevant = relevant;
        this.onChange = onChange;
        try {
            for (Path root : roots) if (Files.isDirectory(root)) watchTree(root);
        } catch (IOException e) {
            service.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().daemon().name("manaknight-dev-watch").unstarted(this::loop);
    }

    /** Watches `roots` (those that exist) and the folders in them; `onChange` gets each burst's relevant paths. */
    static SourceWatcher start(List<Path> roots, Predicate<Path> relevant, Consumer<Set<Path>> onChange) throws IOException {
        var w = new SourceWatcher(roots, relevant, onChange);
        w.thread.start();
        return w;
    }

    private void watchTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path dir : s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
                folders.put(key, dir);
            }
        }
    }

    private void loop() {
        try {
            while (true) {
                var changed = new LinkedHashSet<Path>();
                boolean saved = false;
                while (!saved) saved = collect(service.take(), changed); // the database's files change too: not a save
                // The burst goes on while relevant events keep coming within QUIET of each other; others
                // (a SQLite pool opening its -wal and -shm files) do not hold it up.
                long quietUntil = System.nanoTime() + QUIET.toNanos();
                for (long left; (left = quietUntil - System.nanoTime()) > 0; ) {
                    WatchKey next = service.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) break;
                    if (collect(next, changed)) quietUntil = System.nanoTime() + QUIET.toNanos();
                }
                onChange.accept(changed);
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // closed: the server is stopping
        }
    }

    /**
     * Adds the relevant paths of `key`'s events to `changed`, and watches folders created meanwhile.
     *
     * @return true when some event was relevant
     */
    private boolean collect(WatchKey key, Set<Path> changed) {
        Path dir = folders.get(key);
        boolean any = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (dir == null) continue;
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                changed.add(dir); // events were lost: something here changed
                any = true;
                continue;
            }
            Path path = dir.resolve((Path) event.context());
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    watchTree(path);
                } catch (IOException e) {
                    // gone again already, or unreadable: nothing in it to compile
                }
                // a folder moved in whole may bring sources: what it holds counts as changed
                try (Stream<Path> s = Files.walk(path)) {
                    for (Path p : s.filter(relevant).toList()) {
                        changed.add(p);
                        any = true;
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // gone again already
                }
            }
            if (relevant.test(path)) {
                changed.add(path);
                any = true;
            }
        }
        if (!key.reset()) folders.remove(key);
        return any;
    }

    /**
     * Stops watching. A reload under way is let finish (for at most {@link #FINISH_WAIT}), so that
     * the program it opens is swapped in before the server closes the current one, not after.
     */
    @Override public void close() throws IOException {
        service.close(); // take() and poll() throw ClosedWatchServiceException: the loop ends after its callback
        try {
            if (Thread.currentThread() != thread) thread.join(FINISH_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
