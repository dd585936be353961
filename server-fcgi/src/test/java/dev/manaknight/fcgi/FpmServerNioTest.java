package dev.manaknight.fcgi;

/** Every {@link FpmServerTest} again on the JDK's NIO, the transport where Linux's native ones are missing. */
class FpmServerNioTest extends FpmServerTest {
    @Override String transport() { return "nio"; }
}
