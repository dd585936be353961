package dev.manaknight.fcgi;

/** Malformed FastCGI input: the connection that sent it is closed, nothing else. Messages start with `fcgi: `. */
public final class FcgiException extends Exception {
    public FcgiException(String message) {
        super(message);
    }
}
