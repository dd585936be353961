package dev.manaknight.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `manaknight`: the command line's entry point; wires the subcommands and maps failures to exit codes. */
// scope INHERIT: every subcommand gets -h/--help and -V/--version too (`manaknight build --help`,
// which the usage errors point to).
@Command(name = "manaknight", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
         scope = CommandLine.ScopeType.INHERIT,
         synopsisSubcommandLabel = "COMMAND",
         description = "A small statically typed language for HTTP APIs.",
         footer = {"", "Exit codes: 0 ok, 64 usage, 65 compile error, invalid module or migration, 70 runtime failure, "
                 + "74 I/O or database error."})
public final class Main implements Callable<Integer> {
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        exitWith(() -> commandLine(AppLoader.standard()).execute(args));
    }

    /** Runs an entry point's body and exits with its code, whatever happens (also {@link CgiMain}). */
    static void exitWith(java.util.function.IntSupplier body) {
        int code = ExitCode.SOFTWARE;
        try {
            code = body.getAsInt();
        } catch (Throwable t) {
            // Whatever escaped (a jar replaced in place under a running server makes classes
            // vanish at stop): say so and still exit, never linger on the servers' non-daemon threads.
            System.err.println("manaknight: " + t);
        } finally {
            System.out.flush();
            System.exit(code);
        }
    }

    /** The whole command tree; `loader` is how every command turns APP into a module. */
    public static CommandLine commandLine(AppLoader loader) {
        var cl = new CommandLine(new Main());
        cl.addSubcommand(new NewCommand());
        cl.addSubcommand(new CheckCommand(loader));
        cl.addSubcommand(new BuildCommand(loader));
        cl.addSubcommand(new DisasmCommand(loader));
        cl.addSubcommand(new OpenApiCommand(loader));
        cl.addSubcommand(new ServeCommand());
        cl.addSubcommand(new DevCommand());
        cl.addSubcommand(new FpmCommand());
        cl.addSubcommand(new CgiCommand());
        cl.addSubcommand(new TestCommand());
        cl.addSubcommand(new MigrateCommand());
        cl.addSubcommand(new FmtCommand());
        cl.addSubcommand(new LspCommand());
        cl.addSubcommand(new JournalCommand());
        cl.addSubcommand(new ReplayCommand());
        cl.addSubcommand(new CommandLine.HelpCommand());
        // Set after adding: picocli copies these settings to the subcommands present now.
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((failure, cmd, parsed) -> {
            cmd.getErr().print(ErrorReport.describe(failure));
            cmd.getErr().flush();
            return ExitCode.of(failure);
        });
        return cl;
    }

    /** No command given: the usage, as a usage error. */
    @Override public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        var err = cmd.getErr();
        err.println("manaknight: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE;
    }
}
