package dev.manaknight.runtime.effects;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads an app's migrations folder (`APP/migrations/`) for one dialect, strictly: a file that
 * looks meant as a migration but is not named as one is an error, not skipped, since a skipped
 * migration is a schema that silently differs.
 *
 * <ul>
 * <li>One set for every database: `migrations/V1__users.sql`, `migrations/V2__email.sql`, …</li>
 * <li>One set per database, when the SQL differs (`INTEGER PRIMARY KEY` against `BIGSERIAL`):
 *     `migrations/sqlite/V1__….sql` and `migrations/postgresql/V1__….sql`. The folder of the
 *     database in use must then exist, and no `.sql` file may sit beside the two folders.</li>
 * <li>Names are `V<version>__<description>.sql`; versions are whole numbers, applied in numeric
 *     order (`V10` after `V9`), each at most once in a folder; gaps are allowed. Other files
 *     (a README) are ignored.</li>
 * </ul>
 */
public final class MigrationFiles {
    /** `V12__add_email.sql`: the version and a description. */
    static final Pattern NAME = Pattern.compile("V([0-9]{1,18})__(.+)\\.sql");

    private MigrationFiles() {}

    /** The migrations of `folder` for `dialect`, in order; an empty folder is an empty list. */
    public static List<Migration> load(Path folder, Dialect dialect) throws MigrationException, IOException {
        Path dir = chooseFolder(folder, dialect);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        }
        var out = new ArrayList<Migration>();
        Map<Long, Path> seen = new HashMap<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            if (Files.isDirectory(p)) throw new MigrationException(p + " is a folder; a migration is a file");
            Matcher m = NAME.matcher(name);
            if (!m.matches())
                throw new MigrationException(p + " is not a migration's name: name it V<version>__<description>.sql, "
                        + "e.g. V1__create_users.sql");
            long version = Long.parseLong(m.group(1));
            Path other = seen.put(version, p);
            if (other != null)
                throw new MigrationException(p + " and " + other + " have the same version " + version
                        + ": each version is applied once, so each names one file");
            out.add(Migration.of(version, name, p, read(p)));
        }
        out.sort(Comparator.comparingLong(Migration::version));
        return out;
    }

    /** `folder` itself, or its `sqlite/` or `postgresql/` when the app keeps one set per database. */
    static Path chooseFolder(Path folder, Dialect dialect) throws MigrationException, IOException {
        boolean perDialect = false;
        List<String> strays = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    if (isDialectFolder(name)) perDialect = true;
                    else strays.add(p + "/");
                } else if (name.endsWith(".sql")) strays.add(p.toString());
            }
        }
        if (!perDialect) {
            for (String stray : strays)
                if (stray.endsWith("/"))
                    throw new MigrationException(stray + " is not a migrations folder: the folders under " + folder
                            + " are sqlite/ and postgresql/, one set of migrations per database");
            return folder;
        }
        if (!strays.isEmpty())
            throw new MigrationException(strays.getFirst() + " is beside the per-database folders of " + folder
                    + ": with sqlite/ or postgresql/ there, every migration is in one of them");
        Path dir = folder.resolve(dialect.folder);
        if (!Files.isDirectory(dir))
            throw new MigrationException(dir + " does not exist: " + folder + " keeps one set of migrations per database, "
                    + "and this app's database is " + dialect.folder);
        return dir;
    }

    private static boolean isDialectFolder(String name) {
        for (Dialect d : Dialect.values()) if (d.folder.equals(name)) return true;
        return false;
    }

    private static String read(Path p) throws IOException, MigrationException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(Files.readAllBytes(p))).toString();
        } catch (CharacterCodingException e) {
            throw new MigrationException(p + " is not valid UTF-8");
        }
    }
}
