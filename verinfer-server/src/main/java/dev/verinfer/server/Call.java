package dev.verinfer.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One HTTP call as a handler sees it: path parameters, query parameters, the bounded body. */
final class Call {
    private final HttpExchange exchange;
    private final Map<String, String> path;
    private final Map<String, String> query = new HashMap<>();

    Call(HttpExchange exchange, Map<String, String> path) {
        this.exchange = exchange;
        this.path = path;
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "malformed query string: " + e.getMessage());
        }
    }

    String path(String name) {
        return path.get(name);
    }

    /** A path parameter that must be a non-negative number. */
    long pathNumber(String name) {
        return number(name, path(name));
    }

    String query(String name) {
        return query.get(name);
    }

    long queryNumber(String name, long otherwise) {
        String v = query.get(name);
        return v == null ? otherwise : number(name, v);
    }

    private static long number(String name, String v) {
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(400, name + " must be a non-negative number, not '" + v + "'");
    }

    /** The media type of the body, without parameters, lower case ("" if none). */
    String contentType() {
        String t = exchange.getRequestHeaders().getFirst("Content-Type");
        return t == null ? "" : t.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The body, refused with 413 beyond {@code limit} bytes. */
    byte[] body(int limit) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new ApiException(413, "the body exceeds the limit of " + limit + " bytes");
            }
            return bytes;
        }
    }
}
