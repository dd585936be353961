package dev.manaknight.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** `manaknight --version`: the project version (filtered in at build time) and the Java running it. */
final class VersionProvider implements IVersionProvider {
    static final String RESOURCE = "version.properties";

    @Override public String[] getVersion() {
        return new String[] {"manaknight " + version(), "Java " + Runtime.version()};
    }

    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return "(unknown version)";
            var props = new Properties();
            props.load(in);
            return props.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            return "(unknown version)";
        }
    }
}
