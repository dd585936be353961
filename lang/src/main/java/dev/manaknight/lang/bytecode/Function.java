package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.model.Kind;
import dev.manaknight.lang.model.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * One compiled function (a `fn`, a handler, a test, or a constant initialiser).
 *
 * @param name        for stack traces: `displayName`, `GET /users/:id`, `test "…"`
 * @param file        source file name, for stack traces
 * @param params      types of the parameters, which occupy local slots 0..n-1 (Int, Float and Bool
 *                    in the primitive lane, everything else as references)
 * @param result      type of the returned value (Unit for handlers and tests)
 * @param locals      local slots in all, parameters included (at most {@link Limits#MAX_LOCALS})
 * @param maxStack    operand-stack depth above the locals, as the verifier proves it
 * @param capabilities bit set of {@link dev.manaknight.lang.model.Capability} the function may use
 * @param code        the instructions
 * @param lines       pairs (pc, line), ascending by pc: the line of the instruction at pc and after
 */
public record Function(String name, String file, List<Type> params, Type result, int locals, int maxStack,
                       int capabilities, byte[] code, int[] lines) {
    public Function {
        params = List.copyOf(params);
    }

    /** The lane of each parameter. */
    public List<Kind> paramKinds() {
        var kinds = new ArrayList<Kind>(params.size());
        for (Type t : params) kinds.add(t.kind());
        return kinds;
    }

    /** The lane of the result. */
    public Kind resultKind() { return result.kind(); }

    /** The source line of the instruction at `pc` (0 when unknown). */
    public int lineAt(int pc) {
        int line = 0;
        for (int i = 0; i + 1 < lines.length; i += 2) {
            if (lines[i] > pc) break;
            line = lines[i + 1];
        }
        return line;
    }
}
