package dev.manaknight.netty;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Shuts a TCP listener's door without dropping who is already inside: a connection in the
 * kernel's accept queue when a listener closes is reset, under the request its client may already
 * have sent (nginx then answers 502 and, for a POST, cannot retry). So before the close, a socket
 * filter that drops every packet is attached to the listener (Linux's SO_ATTACH_FILTER, through
 * the FFM API): new connection attempts go unanswered (the client sends its SYN again a second
 * later, finds the listener closed, and gets a refusal it can safely retry elsewhere), while the
 * connections already queued stay there to be accepted. {@link #queued} (TCP_INFO's
 * `tcpi_unacked`, which for a listener is its accept queue's length) tells when none is left.
 *
 * <p>Linux with a native transport only (an epoll or io_uring channel has a file descriptor; a
 * NIO one does not show it): elsewhere {@link #shut} answers false and the listener closes as before.
 * One window stays: a handshake whose last ACK arrives just as the filter is attached.
 */
final class ListenerGate {
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    /** struct tcp_info: eight one-byte fields, then u32 rto, ato, snd_mss, rcv_mss, unacked. */
    private static final long TCPI_UNACKED_OFFSET = 24;
    private static final long TCP_INFO_BYTES = 232;
    /** One classic-BPF instruction, `ret #0`: keep no byte of the packet, so drop it. */
    private static final short BPF_RET_K = 0x06;
    /** The libc functions, bound once (immutable); empty where this is not Linux or native access is denied. */
    private static final Optional<Native> NATIVE = Native.find();

    private ListenerGate() {}

    /** Makes `listener` ignore new connection attempts; false when it cannot (then nothing changed). */
    static boolean shut(Channel listener) {
        int fd = fd(listener);
        if (fd < 0 || NATIVE.isEmpty()) return false;
        try (var arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(8, 8); // struct sock_filter { u16 code; u8 jt, jf; u32 k; }
            filter.set(ValueLayout.JAVA_SHORT, 0, BPF_RET_K);
            filter.set(ValueLayout.JAVA_INT, 4, 0);
            MemorySegment program = arena.allocate(16, 8); // struct sock_fprog { u16 len; struct sock_filter *filter; }
            program.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
            program.set(ValueLayout.ADDRESS, 8, filter);
            return (int) NATIVE.get().setsockopt.invokeExact(fd, SOL_SOCKET, SO_ATTACH_FILTER, program, 16) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** How many connections wait in `listener`'s accept queue; -1 when that cannot be known. */
    static int queued(Channel listener) {
        int fd = fd(listener);
        if (fd < 0 || NATIVE.isEmpty()) return -1;
        try (var arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(TCP_INFO_BYTES, 8);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, (int) TCP_INFO_BYTES);
            if ((int) NATIVE.get().getsockopt.invokeExact(fd, IPPROTO_TCP, TCP_INFO, info, length) != 0) return -1;
            if (length.get(ValueLayout.JAVA_INT, 0) < TCPI_UNACKED_OFFSET + 4) return -1;
            return info.get(ValueLayout.JAVA_INT, TCPI_UNACKED_OFFSET);
        } catch (Throwable t) {
            return -1;
        }
    }

    private static int fd(Channel listener) {
        if (!(listener instanceof UnixChannel unix) || !listener.isOpen()) return -1;
        if (!(listener.localAddress() instanceof java.net.InetSocketAddress)) return -1; // a Unix socket has no SYN
        return unix.fd().intValue();
    }

    /** setsockopt(2) and getsockopt(2). */
    private record Native(MethodHandle setsockopt, MethodHandle getsockopt) {
        static Optional<Native> find() {
            if (!System.getProperty("os.name", "").startsWith("Linux")) return Optional.empty();
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                var set = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
                var get = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
                return Optional.of(new Native(
                        linker.downcallHandle(libc.find("setsockopt").orElseThrow(), set),
                        linker.downcallHandle(libc.find("getsockopt").orElseThrow(), get)));
            } catch (Throwable t) {
                return Optional.empty();
            }
        }
    }
}
