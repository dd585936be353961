package dev.manaknight.fcgi;

/**
 * Every {@link FpmServerTest} again on epoll (the default is io_uring where the kernel allows it),
 * and with two event loops and a dedicated acceptor (the default on 2 cores is one loop that accepts).
 */
class FpmServerEpollTest extends FpmServerTest {
    @Override String transport() { return "epoll"; }

    @Override int ioThreads() { return 2; }
}
