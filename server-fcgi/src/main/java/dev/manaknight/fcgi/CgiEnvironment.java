package dev.manaknight.fcgi;

import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Request;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;

/**
 * CGI/1.1 meta-variables (RFC 3875 §4.1, as FastCGI PARAMS or a CGI process's environment) as a
 * core {@link Request}. The path comes from `REQUEST_URI` (what nginx and fcgiwrap pass, still
 * percent-encoded), else from `SCRIPT_NAME` + `PATH_INFO`; headers from `HTTP_*`, `CONTENT_TYPE`
 * and `CONTENT_LENGTH`.
 */
public final class CgiEnvironment {
    private CgiEnvironment() {}

    public static Request toRequest(Map<String, String> env, byte[] body) {
        String method = env.getOrDefault("REQUEST_METHOD", "GET");
        String uri = env.get("REQUEST_URI");
        String path;
        String query = env.get("QUERY_STRING");
        if (uri != null && !uri.isEmpty()) {
            int q = uri.indexOf('?');
            path = q < 0 ? uri : uri.substring(0, q);
            if (query == null && q >= 0) query = uri.substring(q + 1);
        } else {
            path = env.getOrDefault("SCRIPT_NAME", "") + env.getOrDefault("PATH_INFO", "");
            if (path.isEmpty()) path = "/";
        }
        var headers = new ArrayList<Header>();
        for (var e : env.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("HTTP_") && k.length() > 5) headers.add(new Header(headerName(k.substring(5)), e.getValue()));
        }
        String type = env.get("CONTENT_TYPE");
        if (type != null && !type.isEmpty()) headers.add(new Header("Content-Type", type));
        String length = env.get("CONTENT_LENGTH");
        if (length != null && !length.isEmpty()) headers.add(new Header("Content-Length", length));
        String addr = env.get("REMOTE_ADDR");
        String port = env.get("REMOTE_PORT");
        String remote = addr == null ? "" : port == null || port.isEmpty() ? addr : addr + ":" + port;
        return new Request(method, path, query == null ? "" : query, headers, body, remote);
    }

    /** `ACCEPT_LANGUAGE` → `Accept-Language`. */
    static String headerName(String cgi) {
        var b = new StringBuilder(cgi.length());
        boolean upper = true;
        for (char c : cgi.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                b.append('-');
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}
