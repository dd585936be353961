package dev.manaknight.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `manaknight test`: Run an app's test blocks. */
@Command(name = "test", description = "Run an app's test blocks.")
public final class TestCommand implements Callable<Integer> {
    @Override public Integer call() {
        System.err.println("manaknight test: not implemented yet");
        return 70;
    }
}
