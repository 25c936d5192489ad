package dev.verinfer.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.verinfer.api.ApiError;
import dev.verinfer.api.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dispatches calls by method and path template ({@code /v1/requests/{id}}) and writes the answers:
 * a handler's value as JSON with status 200, an {@link ApiException} as its status with an
 * {@link ApiError}, anything else as 500 with one line (the stack trace goes to the node's log only).
 */
final class Router implements HttpHandler {
    /** A handler's answer other than JSON with 200. */
    record Answer(int status, String contentType, byte[] body) {
        static Answer json(int status, Object value) {
            return new Answer(status, "application/json", write(value));
        }
    }

    interface Handler {
        Object handle(Call call) throws Exception;
    }

    record Route(String method, String template, Handler handler) {
        Map<String, String> match(String method, String path) {
            if (!this.method.equals(method)) {
                return null;
            }
            String[] want = template.split("/");
            String[] got = path.split("/");
            if (want.length != got.length) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < want.length; i++) {
                if (want[i].startsWith("{")) {
                    params.put(want[i].substring(1, want[i].length() - 1), got[i]);
                } else if (!want[i].equals(got[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    private final List<Route> routes = new ArrayList<>();

    Router route(String method, String template, Handler handler) {
        routes.add(new Route(method, template, handler));
        return this;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = dispatch(exchange);
            } catch (ApiException e) {
                answer = Answer.json(e.status, new ApiError(e.getMessage()));
            } catch (Exception | Error e) {
                System.err.println("verinfer node: internal error on " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ":");
                e.printStackTrace();
                answer = Answer.json(500, new ApiError("internal error: " + e.getClass().getSimpleName()));
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private Answer dispatch(HttpExchange exchange) throws Exception {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        boolean known = false;
        for (Route r : routes) {
            Map<String, String> params = r.match(method, path);
            if (params != null) {
                Object value = r.handler().handle(new Call(exchange, params));
                return value instanceof Answer a ? a : Answer.json(200, value);
            }
            known |= r.match(r.method(), path) != null;
        }
        if (known) {
            throw new ApiException(405, method + " is not allowed on " + path);
        }
        throw new ApiException(404, "no such resource: " + path + " (the API is described at /openapi.yaml)");
    }

    static byte[] write(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
