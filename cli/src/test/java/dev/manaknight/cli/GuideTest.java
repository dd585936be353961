package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigException;
import dev.manaknight.runtime.config.ConfigLoader;
import dev.manaknight.runtime.testing.TestOutcome;
import dev.manaknight.runtime.testing.TestRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 16: every code block of docs/guide is tested, in page order (docs/guide/README.md, "How
 * this guide is tested", says what each kind of block promises):
 * <ul>
 * <li>`mnk`: compiled and verified; its `test` blocks run and pass; an `output` block after it is
 * what `manaknight test` prints. `mnk fails`: the compilation fails and the `output` block after
 * it is exactly what `manaknight check` prints. `use=ID` compiles it beside the block `id=ID`.
 * `file=PATH`: written into the page's working directory for the commands after it.
 * `fragment`: shown only.</li>
 * <li>`toml`: read as a config file (`fails`: refused, with the `output` block's message; `tests`:
 * the config `manaknight test` reads for the next `mnk` block on the page, its `[app]` values
 * included).</li>
 * <li>`sql`: the schema of the `mnk` blocks after it on the page; `file=PATH` as above.</li>
 * <li>`console`: each `$ command` runs with bash in the page's working directory, where
 * `./manaknight` is this build; what it prints must be the lines after it (`…` stands for any
 * text within a line), and it must exit 0 unless the next command is `echo $?`. A `serve` (or `dev`) runs
 * until the page ends or the next server starts, on a free port that stands in for 8080 (and a
 * socket in the page's directory for /tmp/hello-fpm.sock). `needs=TOOL`: run where TOOL is
 * installed, said and skipped elsewhere.</li>
 * <li>`sh`: shown only, but every `manaknight COMMAND` in it must be a command.</li>
 * <li>`nginx`, `ini`: `same-as=PATH` — the text occurs in that file of the repository; `nginx -t`
 * accepts an nginx file where nginx is installed.</li>
 * <li>`text`, `php`: shown only (pictures, the PHP a reader knows).</li>
 * </ul>
 * Links must name files of the repository that exist.
 */
class GuideTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path GUIDE = ROOT.resolve("docs/guide");
    private static final Set<String> KINDS = Set.of("mnk", "toml", "sql", "console", "sh", "nginx", "ini", "php", "text",
            "output");
    /** The tutorial's FastCGI socket; each page's run uses one in its own directory instead. */
    private static final String FPM_SOCKET = "/tmp/hello-fpm.sock";
    private static final Set<String> COMMANDS = Main.commandLine(AppLoader.standard()).getSubcommands().keySet();
    /** How many blocks of each kind were checked, and how; printed at the end. */
    private static final Map<String, Integer> TALLY = new TreeMap<>();

    @TestFactory Stream<DynamicNode> everyBlockOfTheGuide() throws IOException {
        List<Path> pages;
        try (Stream<Path> s = Files.list(GUIDE)) {
            pages = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        assertTrue(pages.size() >= 5, "the guide's pages: " + pages);
        var nodes = new ArrayList<DynamicNode>();
        for (Path p : pages) nodes.add(page(GuidePage.read(p)));
        nodes.add(DynamicTest.dynamicTest("tally", () -> System.out.println("guide blocks: " + TALLY)));
        return nodes.stream();
    }

    /** The command-line reference has a section, with its `--help` run, for every command. */
    @org.junit.jupiter.api.Test void theCommandLineReferenceCoversEveryCommand() throws IOException {
        String cli = Files.readString(GUIDE.resolve("cli.md"));
        var missing = new ArrayList<String>();
        for (String command : COMMANDS) {
            if (command.equals("help")) continue;
            if (!cli.contains("\n## `" + command + "`\n") || !cli.contains("$ ./manaknight " + command + " --help\n"))
                missing.add(command);
        }
        assertEquals(List.of(), missing, "commands without a section and their --help in cli.md");
    }

    private DynamicContainer page(GuidePage page) {
        var session = new PageSession(page);
        var tests = new ArrayList<DynamicNode>();
        tests.add(DynamicTest.dynamicTest("well-formed, links inside the repository", () -> {
            assertEquals(List.of(), page.problems());
            for (GuidePage.Link l : page.links()) checkLink(page, l);
        }));
        List<GuidePage.Block> blocks = page.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            GuidePage.Block b = blocks.get(i);
            GuidePage.Block next = i + 1 < blocks.size() ? blocks.get(i + 1) : null;
            GuidePage.Block previous = i > 0 ? blocks.get(i - 1) : null;
            tests.add(DynamicTest.dynamicTest(b.where() + " " + b.lang() + " " + b.flags() + b.attrs(),
                    () -> session.check(b, previous, next)));
        }
        tests.add(DynamicTest.dynamicTest("stop the page's servers", session::close));
        return DynamicContainer.dynamicContainer(page.path().getFileName().toString(), tests);
    }

    private static void checkLink(GuidePage page, GuidePage.Link l) {
        String t = l.target();
        if (t.startsWith("https://") || t.startsWith("http://") || t.startsWith("#")) return;
        Path file = page.path().getParent().resolve(t.replaceFirst("#.*", "")).normalize();
        assertTrue(file.startsWith(ROOT), page.path().getFileName() + ":" + l.line() + ": " + t + " is outside the repository");
        assertTrue(Files.exists(file), page.path().getFileName() + ":" + l.line() + ": " + t + " does not exist");
    }

    static synchronized void count(String what) {
        TALLY.merge(what, 1, Integer::sum);
    }

    /** A page's state while its blocks are checked in order: the working directory, the schema, named blocks. */
    static final class PageSession {
        private final GuidePage page;
        private Shell shell;
        private String schema;
        /** The config of the next `mnk` block's tests: a `toml tests` block just read, else the defaults. */
        private Config testConfig;
        private final Map<String, String> named = new TreeMap<>();
        private int port;

        PageSession(GuidePage page) {
            this.page = page;
        }

        void check(GuidePage.Block b, GuidePage.Block previous, GuidePage.Block next) throws Exception {
            if (!KINDS.contains(b.lang())) fail(b.where() + ": a code block of unknown kind `" + b.lang() + "` (say what it is)");
            if (b.attr("id") != null) named.put(b.attr("id"), b.text());
            if (b.attr("file") != null) {
                Path f = shell().dir.resolve(b.attr("file"));
                Files.createDirectories(f.getParent());
                Files.writeString(f, local(b.text()));
            }
            switch (b.lang()) {
                case "mnk" -> mnk(b, next);
                case "toml" -> toml(b, next);
                case "sql" -> {
                    schema = b.text();
                    count("sql: schema");
                }
                case "console" -> console(b);
                case "sh" -> sh(b);
                case "nginx", "ini" -> sameAs(b);
                case "text", "php" -> count(b.lang() + ": shown only");
                case "output" -> {
                    boolean consumed = previous != null && (previous.lang().equals("mnk") && !previous.has("fragment")
                            && previous.attr("file") == null
                            || previous.lang().equals("toml") && previous.has("fails"));
                    assertTrue(consumed, b.where() + ": an output block must follow the block whose output it is");
                }
                default -> throw new AssertionError(b.lang());
            }
        }

        private Shell shell() throws IOException {
            if (shell == null) {
                Path dir = Files.createTempDirectory("manaknight-guide-" + page.path().getFileName());
                copyExamples(dir.resolve("examples"));
                shell = new Shell(dir);
                port = Shell.freePort();
            }
            return shell;
        }

        private void mnk(GuidePage.Block b, GuidePage.Block next) throws Exception {
            if (b.has("fragment")) {
                count("mnk: fragment, shown only");
                return;
            }
            if (b.attr("file") != null) {
                count("mnk: file, run by the commands after it");
                return;
            }
            var files = new ArrayList<SourceFile>();
            if (b.attr("use") != null) {
                for (String id : b.attr("use").split(",")) {
                    String text = named.get(id);
                    assertTrue(text != null, b.where() + ": no block id=" + id + " before it");
                    files.add(new SourceFile(id + ".mnk", text));
                }
            }
            files.add(new SourceFile("app.mnk", b.text()));
            String expected = next != null && next.lang().equals("output") ? next.text() : null;
            if (b.has("fails")) {
                assertTrue(expected != null, b.where() + ": a failing block is followed by the output it shows");
                try {
                    Compiler.compile(files);
                    fail(b.where() + ": compiles, but the guide says it fails with\n" + expected);
                } catch (CompileException e) {
                    assertEquals(expected, ErrorReport.describe(e), b.where());
                }
                count("mnk: fails as shown");
                return;
            }
            Config config = testConfig != null ? testConfig : ConfigLoader.load(null, null);
            testConfig = null;
            Program program;
            try {
                program = Program.load(Compiler.compile(files));
            } catch (CompileException e) {
                throw new AssertionError(b.where() + ": does not compile:\n" + ErrorReport.describe(e));
            }
            if (program.module().tests().isEmpty()) {
                assertTrue(expected == null, b.where() + ": output shown for a block without tests");
                count("mnk: compiled");
                return;
            }
            var bytes = new ByteArrayOutputStream();
            List<TestOutcome> outcomes;
            try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                outcomes = new TestRunner(program, config, schema).run(out);
            }
            String printed = bytes.toString(StandardCharsets.UTF_8);
            if (expected != null) {
                assertEquals(expected, printed, b.where());
                count("mnk: tests run, output as shown");
            } else {
                assertTrue(outcomes.stream().allMatch(TestOutcome::passed), b.where() + ": its tests fail:\n" + printed);
                count("mnk: tests run and pass");
            }
        }

        private void toml(GuidePage.Block b, GuidePage.Block next) throws Exception {
            Path file = shell().dir.resolve(b.attr("file") != null ? b.attr("file") : "manaknight.toml");
            if (b.has("fails")) {
                assertTrue(next != null && next.lang().equals("output"), b.where() + ": a failing block is followed by its output");
                try {
                    ConfigLoader.parse(file, b.text(), null);
                    fail(b.where() + ": the config is accepted, but the guide says it is refused");
                } catch (ConfigException e) {
                    assertEquals(next.text(), ErrorReport.describe(e).replace(shell().dir + "/", ""), b.where());
                }
                count("toml: refused as shown");
                return;
            }
            Config read;
            try {
                read = ConfigLoader.parse(file, b.text(), null);
            } catch (ConfigException e) {
                throw new AssertionError(b.where() + ": " + e.getMessage());
            }
            if (b.has("tests")) {
                testConfig = read;
                count("toml: the tests' config");
            } else if (b.has("defaults")) {
                checkDefaults(b, read);
                count("toml: every key, each at its default");
            } else count("toml: read");
        }

        /**
         * The block that lists every key with its default: it names each key the loader accepts
         * (those without a default commented out), and reading it gives the defaults.
         */
        private static void checkDefaults(GuidePage.Block b, Config read) throws Exception {
            Config defaults = ConfigLoader.load(null, null);
            assertEquals(defaults.server(), read.server(), b.where());
            assertEquals(defaults.limits(), read.limits(), b.where());
            assertEquals(defaults.log(), read.log(), b.where());
            assertEquals(defaults.journal(), read.journal(), b.where());
            assertEquals(defaults.db().pool(), read.db().pool(), b.where());
            var keys = ConfigLoader.class.getDeclaredField("KEYS");
            keys.setAccessible(true);
            @SuppressWarnings("unchecked") var sections = (Map<String, Set<String>>) keys.get(null);
            var missing = new ArrayList<String>();
            for (var section : sections.entrySet()) {
                String text = b.text();
                int start = text.indexOf("[" + section.getKey() + "]");
                int end = text.indexOf("\n[", start + 1);
                String part = start < 0 ? "" : text.substring(start, end < 0 ? text.length() : end);
                for (String key : section.getValue())
                    if (!Pattern.compile("(?m)^(# )?" + key + " = ").matcher(part).find()) missing.add(section.getKey() + "." + key);
            }
            if (!Pattern.compile("(?m)^(# )?app = ").matcher(b.text()).find()) missing.add("app");
            assertEquals(List.of(), missing, b.where() + ": keys the config accepts but the block does not list");
        }

        private void sh(GuidePage.Block b) {
            var m = Pattern.compile("manaknight (\\w[\\w-]*)").matcher(b.text());
            while (m.find()) {
                String word = m.group(1);
                if (word.equals("fpm") || COMMANDS.contains(word) || word.startsWith("-")) continue;
                fail(b.where() + ": `manaknight " + word + "` is no command");
            }
            count("sh: shown only, commands named");
        }

        private void sameAs(GuidePage.Block b) throws Exception {
            String path = b.attr("same-as");
            if (path == null) {
                assertTrue(b.has("fragment"), b.where() + ": a config block says same-as=FILE (or fragment)");
                count(b.lang() + ": fragment, shown only");
                return;
            }
            String file = Files.readString(ROOT.resolve(path));
            assertTrue(file.contains(b.text()), b.where() + ": the block is not what " + path + " says");
            count(b.lang() + ": same as the repository's file");
            if (b.lang().equals("nginx")) nginxAccepts(b, ROOT.resolve(path));
        }

        /**
         * `nginx -t` over the file, where nginx is installed (as `.ci/nginx.sh` installs it); said
         * and skipped elsewhere. A file with an `events` block is a whole configuration (run with a
         * private prefix); any other is a server block, put into an otherwise empty configuration.
         */
        private void nginxAccepts(GuidePage.Block b, Path file) throws Exception {
            Path nginx = Stream.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx").map(Path::of)
                    .filter(Files::isExecutable).findFirst().orElse(null);
            Path params = Path.of("/etc/nginx/fastcgi_params");
            if (nginx == null || !Files.isRegularFile(params)) {
                System.out.println(b.where() + ": not checked with `nginx -t`: no nginx (and its fastcgi_params) here");
                count("nginx: not run through nginx -t (no nginx here)");
                return;
            }
            Path conf = Files.createDirectories(shell().dir.resolve("nginx-check-" + b.line()));
            Files.copy(params, conf.resolve("fastcgi_params"));
            boolean whole = Files.readString(file).lines().anyMatch(l -> l.startsWith("events "));
            Files.writeString(conf.resolve("nginx.conf"), "events {}\nhttp {\n    include " + file + ";\n}\n");
            Shell.Run run = shell().run(nginx + " -t -q -p " + conf + "/ -e " + conf.resolve("error.log") + " -c "
                    + (whole ? file : conf.resolve("nginx.conf") + " -g 'pid " + conf.resolve("nginx.pid") + ";'"));
            assertEquals(0, run.exit(), b.where() + ": nginx -t refuses " + file + ":\n" + run.output());
            count("nginx: accepted by nginx -t");
        }

        private void console(GuidePage.Block b) throws Exception {
            String needs = b.attr("needs");
            if (needs != null && shell().run("command -v " + needs).exit() != 0) {
                System.out.println(b.where() + ": not run: it needs `" + needs + "`, which is not installed here");
                count("console: not run, a tool missing");
                return;
            }
            List<String> lines = b.text().lines().toList();
            int i = 0;
            var commands = new ArrayList<String[]>();
            while (i < lines.size()) {
                String line = lines.get(i);
                assertTrue(line.startsWith("$ "), b.where() + ": a console block starts each command with `$ `: " + line);
                var command = new StringBuilder(line.substring(2));
                while (command.toString().endsWith("\\") && i + 1 < lines.size()) command.append('\n').append(lines.get(++i));
                var expected = new StringBuilder();
                while (i + 1 < lines.size() && !lines.get(i + 1).startsWith("$ ")) expected.append(lines.get(++i)).append('\n');
                i++;
                commands.add(new String[] {command.toString(), expected.toString()});
            }
            for (int c = 0; c < commands.size(); c++) {
                boolean checkedNext = c + 1 < commands.size() && commands.get(c + 1)[0].equals("echo $?");
                runCommand(b, commands.get(c)[0], commands.get(c)[1], checkedNext);
            }
        }

        /** The page's port for 8080, and a socket in its own directory for /tmp/hello-fpm.sock. */
        private String local(String text) throws IOException {
            return text.replace(":8080", ":" + port).replace(FPM_SOCKET, shell().dir.resolve("fpm.sock").toString());
        }

        private void runCommand(GuidePage.Block b, String command, String expected, boolean exitChecked) throws Exception {
            Shell sh = shell();
            String line = local(command);
            String want = local(expected);
            boolean server = line.matches("(?s)\\./manaknight (serve|dev|fpm)\\b.*") && !line.contains(" -t")
                    && !line.contains("--help");
            String got;
            if (server) {
                sh.stopServers();
                if (line.matches("\\./manaknight (serve|dev)\\b.*") && !line.contains("--port")) line += " --port " + port;
                got = sh.start(line, l -> l.contains("listening on")).output();
                count("console: server started");
            } else {
                Shell.Run run = sh.run(line);
                if (!exitChecked && !command.equals("echo $?"))
                    assertEquals(0, run.exit(), b.where() + ": `" + command + "` failed:\n" + run.output());
                got = run.output();
                count("console: command run");
            }
            assertLines(b.where() + ": `" + command + "`", want, got);
        }

        static void assertLines(String what, String expected, String actual) {
            List<String> want = trimmed(expected), got = trimmed(actual);
            boolean same = want.size() == got.size();
            for (int i = 0; same && i < want.size(); i++) same = matches(want.get(i), got.get(i));
            if (!same) assertEquals(String.join("\n", want), String.join("\n", got), what + " printed other lines");
        }

        private static List<String> trimmed(String text) {
            var lines = new ArrayList<>(text.lines().map(String::stripTrailing).toList());
            while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
            return lines;
        }

        /** `…` in an expected line stands for any text. */
        static boolean matches(String expected, String actual) {
            if (!expected.contains("…")) return expected.equals(actual);
            var regex = new StringBuilder();
            for (String part : expected.split("…", -1)) {
                if (!regex.isEmpty()) regex.append(".*");
                regex.append(Pattern.quote(part));
            }
            return actual.matches(regex.toString());
        }

        void close() throws Exception {
            if (shell == null) return;
            shell.close();
            try (Stream<Path> s = Files.walk(shell.dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }

        private static void copyExamples(Path target) throws IOException {
            Path source = ROOT.resolve("examples");
            try (Stream<Path> s = Files.walk(source)) {
                for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".db") || name.contains(".db-")) continue;
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(to);
                    else Files.copy(p, to);
                }
            }
        }
    }
}
