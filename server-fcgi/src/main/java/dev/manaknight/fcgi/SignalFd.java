package dev.manaknight.fcgi;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Optional;

/**
 * Linux's signalfd(2), through the FFM API: signals that every thread of the process blocks are
 * read from a file descriptor, in Java, with no signal handler at all.
 *
 * <p>This is how `manaknight fpm` takes SIGQUIT, which HotSpot keeps for thread dumps and
 * `sun.misc.Signal` refuses. The launcher starts the JVM with the signals already blocked (`env
 * --block-signal`, or perl's `sigprocmask` where env lacks it; a signal mask is inherited across
 * exec and by every thread) and with `-Xrs`, so
 * HotSpot neither installs handlers for QUIT, TERM, INT and HUP nor unblocks them in its threads.
 * A blocked signal stays pending until {@link #take()} reads it.
 */
final class SignalFd implements AutoCloseable {
    /** glibc's sigset_t: 1024 bits. */
    private static final long SIGSET_BYTES = 128;
    /** struct signalfd_siginfo: 128 bytes; ssi_signo, ssi_errno, ssi_code, ssi_pid come first. */
    private static final long SIGINFO_BYTES = 128;
    private static final long SSI_PID_OFFSET = 12;
    private static final int SIG_BLOCK = 0;
    private static final int SFD_CLOEXEC = 02000000;
    private static final int EINTR = 4;
    /** The libc functions, bound once (immutable); empty where this is not Linux or native access is denied. */
    private static final Optional<Native> NATIVE = Native.find();

    /** A signal read: its number and the process that sent it (0 when the kernel did). */
    record Received(int signal, int senderPid) {}

    private final Native lib;
    private final int fd;

    private SignalFd(Native lib, int fd) {
        this.lib = lib;
        this.fd = fd;
    }

    /**
     * The signals among {@code signals} that the calling thread blocks. Empty when this is not
     * Linux with glibc's symbols at hand.
     */
    static List<Integer> blocked(List<Integer> signals) {
        Optional<Native> lib = NATIVE;
        if (lib.isEmpty()) return List.of();
        try (var arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(SIGSET_BYTES);
            lib.get().check((int) lib.get().sigprocmask.invokeExact(SIG_BLOCK, MemorySegment.NULL, mask), "sigprocmask");
            var out = new java.util.ArrayList<Integer>();
            for (int s : signals)
                if ((int) lib.get().sigismember.invokeExact(mask, s) == 1) out.add(s);
            return List.copyOf(out);
        } catch (Throwable t) {
            return List.of();
        }
    }

    /** A descriptor that receives {@code signals}, which the caller has checked are blocked everywhere. */
    static SignalFd open(List<Integer> signals) throws IOException {
        Native lib = NATIVE.orElseThrow(() -> new IOException("signalfd: not available on this platform"));
        try (var arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(SIGSET_BYTES);
            lib.check((int) lib.sigemptyset.invokeExact(mask), "sigemptyset");
            for (int s : signals) lib.check((int) lib.sigaddset.invokeExact(mask, s), "sigaddset");
            int fd = (int) lib.signalfd.invokeExact(-1, mask, SFD_CLOEXEC);
            lib.check(fd, "signalfd");
            return new SignalFd(lib, fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("signalfd: " + t, t);
        }
    }

    /** Blocks until one of the signals arrives. */
    Received take() throws IOException {
        try (var arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_BYTES);
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            while (true) {
                long n = (long) lib.read.invokeExact(state, fd, info, SIGINFO_BYTES);
                if (n == SIGINFO_BYTES)
                    return new Received(info.get(ValueLayout.JAVA_INT, 0), info.get(ValueLayout.JAVA_INT, SSI_PID_OFFSET));
                int errno = (int) Native.ERRNO.get(state, 0L);
                if (n < 0 && errno == EINTR) continue; // a JVM-internal signal (thread suspension) woke us
                throw new IOException("signalfd read: " + (n < 0 ? "errno " + errno : n + " bytes"));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("signalfd read: " + t, t);
        }
    }

    @Override public void close() {
        try {
            int unused = (int) lib.close.invokeExact(fd);
        } catch (Throwable ignored) {
            // closing a descriptor we opened: nothing useful to report
        }
    }

    /** The libc functions used. */
    private record Native(MethodHandle sigemptyset, MethodHandle sigaddset, MethodHandle sigismember,
                          MethodHandle sigprocmask, MethodHandle signalfd, MethodHandle read, MethodHandle close) {
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CALL_STATE.varHandle(StructLayout.PathElement.groupElement("errno"));

        static Optional<Native> find() {
            if (!System.getProperty("os.name", "").equals("Linux")) return Optional.empty();
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                var intPtr = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
                var intPtrInt = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
                java.util.function.BiFunction<String, FunctionDescriptor, MethodHandle> bind =
                        (name, fd) -> linker.downcallHandle(libc.find(name).orElseThrow(), fd);
                return Optional.of(new Native(
                        bind.apply("sigemptyset", intPtr),
                        bind.apply("sigaddset", intPtrInt),
                        bind.apply("sigismember", intPtrInt),
                        bind.apply("sigprocmask", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS)),
                        bind.apply("signalfd", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT)),
                        linker.downcallHandle(libc.find("read").orElseThrow(),
                                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                                        ValueLayout.JAVA_LONG),
                                Linker.Option.captureCallState("errno")),
                        bind.apply("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT))));
            } catch (RuntimeException e) { // no such symbol, or native access not enabled
                return Optional.empty();
            }
        }

        void check(int rc, String call) throws IOException {
            if (rc < 0) throw new IOException(call + " failed");
        }
    }
}
