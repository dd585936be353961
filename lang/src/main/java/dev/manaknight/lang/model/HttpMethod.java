package dev.manaknight.lang.model;

/**
 * The methods a handler may be declared for; HEAD is served from GET by the runtime. Each has a
 * pinned code: its byte in the `.mkb` route table and in {@code REQUEST m} (never the ordinal).
 */
public enum HttpMethod {
    GET(0), POST(1), PUT(2), PATCH(3), DELETE(4);

    private final int code;

    HttpMethod(int code) { this.code = code; }

    /** The byte value in the module format: pinned. */
    public int code() { return code; }

    /** The method with this code, or null. */
    public static HttpMethod of(int code) {
        for (HttpMethod m : values()) if (m.code == code) return m;
        return null;
    }
}
