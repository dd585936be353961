package dev.manaknight.fcgi;

/** Every {@link FpmServerTest} again on epoll (the default is io_uring where the kernel allows it). */
class FpmServerEpollTest extends FpmServerTest {
    @Override String transport() { return "epoll"; }
}
