package dev.manaknight.lang.vm;

import java.util.ArrayList;

/**
 * How a test sees the answer to `request`: a record value of type -1 named `Response` with the
 * fields status (Int, boxed Long), headers (Map of String, later duplicates win) and body
 * (String: the text of a text body, "" for none; a JSON body should reach the VM from the host
 * as its wire text in a {@link Response.Body.Text}, else its display text is used).
 */
public final class ResponseValue {
    private ResponseValue() {}

    /** The field names, in order: `r.status` is field 0. */
    static final String[] FIELDS = {"status", "headers", "body"};

    public static Values.RecordValue of(Response response) {
        int n = response.headers().size();
        var keys = new ArrayList<String>(n);
        var values = new ArrayList<Object>(n);
        for (Response.Header h : response.headers()) {
            int i = keys.indexOf(h.name());
            if (i >= 0) {
                values.set(i, h.value());
            } else {
                keys.add(h.name());
                values.add(h.value());
            }
        }
        var headers = new Values.MapValue(keys.toArray(String[]::new), values.toArray());
        String body = switch (response.body()) {
            case Response.Body.None none -> "";
            case Response.Body.Text t -> t.text();
            case Response.Body.Json j -> Values.display(j.value());
        };
        return new Values.RecordValue(-1, "Response", FIELDS, new Object[] {(long) response.status(), headers, body});
    }
}
