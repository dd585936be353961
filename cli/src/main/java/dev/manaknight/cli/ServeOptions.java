package dev.manaknight.cli;

import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigException;
import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options `serve` and `dev` share (a picocli mixin), and the configuration they make with APP. */
final class ServeOptions {
    @Option(names = "--port", description = "port to listen on (default 8080)")
    Integer port;

    @Option(names = "--host", description = "address to listen on (default 127.0.0.1)")
    String host;

    @Option(names = "--config", paramLabel = "F", description = "a TOML config (default: APP/manaknight.toml)")
    Path config;

    /** APP's configuration (or `--config`'s), with `--host` and `--port` over its `listen`. */
    Config load(CommandLine cmd, Path app) throws ConfigException {
        if (port != null && (port < 0 || port > 65535))
            throw new CommandLine.ParameterException(cmd, "--port: expected 0 to 65535, got " + port);
        Config cfg = ConfigLoader.load(app, config).withListen(host, port);
        if (cfg.app() == null) throw new ConfigException("no app given (pass APP or set `app` in the config)");
        if (cfg.server().unix()) throw new ConfigException("`server.listen` must be host:port (unix sockets are for `fpm`)");
        return cfg;
    }
}
