package dev.manaknight.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Which Netty transport the listener uses: io_uring where the kernel allows it (fewer system
 * calls per connection: accept, read, write and close go through one ring), else epoll on Linux,
 * else the JDK's NIO. `server.transport` may name one; `auto` takes the first available.
 */
public enum Transport {
    IO_URING, EPOLL, NIO;

    /** The configured name (`auto`, `io_uring`, `epoll`, `nio`) made real: an unavailable one falls back, in order. */
    public static Transport choose(String name) {
        return switch (name) {
            case "nio" -> NIO;
            case "epoll" -> Epoll.isAvailable() ? EPOLL : NIO;
            default -> IoUring.isAvailable() ? IO_URING : Epoll.isAvailable() ? EPOLL : NIO;
        };
    }

    public IoHandlerFactory ioHandlers() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    public Class<? extends ServerChannel> serverChannel(boolean unix) {
        return switch (this) {
            case IO_URING -> unix ? IoUringServerDomainSocketChannel.class : IoUringServerSocketChannel.class;
            case EPOLL -> unix ? EpollServerDomainSocketChannel.class : EpollServerSocketChannel.class;
            case NIO -> unix ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class;
        };
    }

    public SocketAddress unixAddress(Path path) {
        return this == NIO ? UnixDomainSocketAddress.of(path) : new DomainSocketAddress(path.toString());
    }

    /**
     * Whether a connection about to close after its last answer should stop reading first. With
     * io_uring, the read Netty leaves outstanding arms a poll in the kernel and is cancelled at
     * close: two operations per connection for nothing. With epoll, stopping would itself cost
     * an epoll_ctl.
     */
    public boolean stopReadingBeforeClose() { return this == IO_URING; }

    /** SO_REUSEPORT on a TCP listener, so a `--graceful` instance can bind beside (not with NIO). */
    public void reusePort(ServerBootstrap b) {
        switch (this) {
            case IO_URING -> b.option(IoUringChannelOption.SO_REUSEPORT, true);
            case EPOLL -> b.option(EpollChannelOption.SO_REUSEPORT, true);
            case NIO -> { }
        }
    }
}
