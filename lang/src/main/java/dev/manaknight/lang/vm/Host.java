package dev.manaknight.lang.vm;

import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.model.HttpMethod;

/**
 * What the VM asks of the world. The VM knows nothing of JDBC or HTTP: the runtime implements
 * this per request. Values crossing it are boxed VM values (see {@link Values}).
 */
public interface Host {
    /**
     * Runs one effect operation. The VM has already checked that the running route declared
     * {@code op.capability()}; a host should check again.
     *
     * @param args one value per {@code op.params()}
     * @return a value of {@code op.result()}
     * @throws EffectFailure when the effect failed (a database error, a row-count mismatch, …)
     */
    Object effect(EffectOp op, Object[] args) throws EffectFailure;

    /**
     * `request METHOD "/path" [json(v) | text(s)] [headers { … }]` inside a test: `body` is
     * {@link Values.Unit#UNIT} when absent, a String for `text(s)` (bodyTypeRef -1), else the
     * value of type-ref `bodyTypeRef` to send as JSON; `headers` as the test wrote them.
     */
    default Response request(HttpMethod method, String path, Values.MapValue headers, Object body, int bodyTypeRef)
            throws EffectFailure {
        throw new EffectFailure("request", "`request` is only available inside `manaknight test`");
    }

    /**
     * `Json.parse(text)`: {@link Values.Ok} of a `Json` value (see {@link Values}) or
     * {@link Values.Err} of a String saying what is wrong and where. The reader is the runtime's, the
     * one that reads request bodies, with the same limits; the VM has none of its own.
     */
    default Object parseJson(String text) throws EffectFailure {
        throw new EffectFailure("json", "`Json.parse` needs the runtime's JSON reader, which this host does not have");
    }

    /**
     * `T.fromJson(j)`: {@link Values.Ok} of a value of `type` (a record or enum of `module`) or
     * {@link Values.Err} of a String naming each wrong member by its JSON pointer. `text` is the
     * Json value's text; it is read as a request body of that type is read, by the same rules.
     */
    default Object decodeJson(String text, dev.manaknight.lang.model.Type type, dev.manaknight.lang.bytecode.Module module)
            throws EffectFailure {
        throw new EffectFailure("json", "`fromJson` needs the runtime's JSON decoder, which this host does not have");
    }

    /** An effect that failed; the VM turns it into a 500 with this kind and message. */
    final class EffectFailure extends Exception {
        /**
         * The kind of an outbound call the configuration does not allow (its host, a private
         * address, a URL that is none): the request fails as `outbound-refused`, not `effect-failed`.
         */
        public static final String OUTBOUND_REFUSED = "http-refused";

        private final String kind;

        public EffectFailure(String kind, String message) {
            super(message);
            this.kind = kind;
        }

        public EffectFailure(String kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }

        /** A short machine name: `db`, `row-count`, … */
        public String kind() { return kind; }

        /** How the request fails when this effect does: by its kind, so a replay that rebuilds the failure fails alike. */
        public VmError.Kind vmKind() {
            return kind.equals(OUTBOUND_REFUSED) ? VmError.Kind.OUTBOUND_REFUSED : VmError.Kind.EFFECT_FAILED;
        }
    }
}
