package dev.manaknight.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `manaknight serve`: Serve an app over HTTP/1.1. */
@Command(name = "serve", description = "Serve an app over HTTP/1.1.")
public final class ServeCommand implements Callable<Integer> {
    @Override public Integer call() {
        System.err.println("manaknight serve: not implemented yet");
        return 70;
    }
}
