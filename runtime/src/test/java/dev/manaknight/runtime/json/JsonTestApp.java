package dev.manaknight.runtime.json;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Host;
import dev.manaknight.lang.vm.Outcome;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Vm;
import dev.manaknight.lang.vm.VmLimits;
import java.util.List;

/** A compiled app whose `fn name(text: String): String` functions a test runs, with the runtime's JSON reader and decoder. */
final class JsonTestApp {
    private static final Host HOST = new Host() {
        @Override public Object effect(EffectOp op, Object[] args) throws EffectFailure {
            throw new EffectFailure("test", "no effects here");
        }

        @Override public Object parseJson(String text) { return JsonText.parse(text); }

        @Override public Object decodeJson(String text, Type type, Module module) { return JsonText.decode(text, type, module); }
    };

    final Module module;
    private final Program program;

    JsonTestApp(String source) {
        try {
            module = Compiler.compile(List.of(new SourceFile("t.mnk", source)));
            program = Program.load(module);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What `function(text)` returns. */
    String run(String function, String text) {
        int fn = module.functions().stream().map(f -> f.name()).toList().indexOf(function);
        var vm = new Vm(program, HOST, new VmLimits(64L << 20, 100_000_000, 0, 64), 0);
        Outcome o = vm.invoke(fn, text);
        return (String) assertInstanceOf(Outcome.Returned.class, o, o.toString()).value();
    }
}
