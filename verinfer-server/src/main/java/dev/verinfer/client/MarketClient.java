package dev.verinfer.client;

import com.fasterxml.jackson.databind.JavaType;
import dev.verinfer.api.AccountView;
import dev.verinfer.api.ApiError;
import dev.verinfer.api.BlockView;
import dev.verinfer.api.Changes;
import dev.verinfer.api.Head;
import dev.verinfer.api.Health;
import dev.verinfer.api.Json;
import dev.verinfer.api.Lists;
import dev.verinfer.api.ModelView;
import dev.verinfer.api.RequestView;
import dev.verinfer.api.TxBatch;
import dev.verinfer.api.TxResult;
import dev.verinfer.api.TxResults;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.RequestFeedCodec;
import dev.verinfer.market.SignedTx;
import dev.verinfer.market.Slash;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The market node's API over {@link HttpClient}: typed reads, and submissions of signed
 * transactions that return once committed. A refusal is a {@link NodeException} with the node's
 * status and reason; a transaction the market rejected is a {@link TxResult} with {@code accepted}
 * false (it is committed and consumed its nonce).
 */
public final class MarketClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI node;
    private final HttpClient http;

    public MarketClient(URI node) {
        this.node = node;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public URI node() {
        return node;
    }

    public Health health() {
        return get("/v1/health", Health.class);
    }

    public MarketParams market() {
        return get("/v1/market", MarketParams.class);
    }

    public Head head() {
        return get("/v1/head", Head.class);
    }

    /** The head once its height exceeds {@code height}, or as it is after {@code waitMillis} (a long poll). */
    public Head headAfter(long height, long waitMillis) {
        return get("/v1/head?after=" + height + "&waitMillis=" + waitMillis, Head.class);
    }

    public BlockView block(long height) {
        return get("/v1/blocks/" + height, BlockView.class);
    }

    /** The account, or empty if the node knows no such account. */
    public Optional<AccountView> account(String id) {
        try {
            return Optional.of(get("/v1/accounts/" + id, AccountView.class));
        } catch (NodeException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<ModelView> models() {
        return get("/v1/models", Lists.Models.class).models();
    }

    public ModelView model(String id) {
        return get("/v1/models/" + id, ModelView.class);
    }

    /** Requests (without inputs) matching {@code query}, e.g. {@code "status=OPEN,LOCKED&model=..."} ("" for all). */
    public List<RequestView> requests(String query) {
        return get("/v1/requests" + (query.isEmpty() ? "" : "?" + query), Lists.Requests.class).requests();
    }

    /**
     * The requests matching {@code query} (filters as in {@link #requests}, and e.g. {@code every=block}) that blocks after
     * {@code height} changed, once one has (a long poll of at most {@code waitMillis}); see {@link Changes}.
     */
    public Changes changes(long height, long waitMillis, String query) {
        return get("/v1/requests/changes?after=" + height + "&waitMillis=" + waitMillis + (query.isEmpty() ? "" : "&" + query), Changes.class);
    }

    /**
     * The same as {@link #changes} in the feed's binary form ({@code format=binary}, {@link RequestFeedCodec}): the requests as
     * the market records them, inputs copied instead of spelled in Base64 (for agents that follow the feed with the inputs).
     */
    public RequestFeedCodec.Feed changeFeed(long height, long waitMillis, String query) {
        HttpResponse<byte[]> r = send(request("/v1/requests/changes?after=" + height + "&waitMillis=" + waitMillis + "&format=binary"
                + (query.isEmpty() ? "" : "&" + query)).GET().build());
        if (r.statusCode() != 200) {
            throw refusal(r);
        }
        try {
            return RequestFeedCodec.decode(r.body());
        } catch (IllegalArgumentException e) {
            throw new NodeException(r.statusCode(), "the node's answer to " + r.request().uri() + " is not a change feed: " + e.getMessage());
        }
    }

    /** One request, with its input. */
    public RequestView request(long id) {
        return get("/v1/requests/" + id, RequestView.class);
    }

    public List<Slash> slashes() {
        return get("/v1/slashes", Lists.Slashes.class).slashes();
    }

    /** The market's violated invariants (empty when all hold). */
    public List<String> invariantViolations() {
        return get("/v1/invariants", Lists.Violations.class).violations();
    }

    /** Submits one signed transaction; returns once its block is durable. */
    public TxResult submit(SignedTx tx) {
        HttpRequest.Builder b = request("/v1/transactions").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tx.toBytes()));
        HttpResponse<byte[]> r = send(b.build());
        if (r.statusCode() == 200 || r.statusCode() == 422) {
            return read(r, Json.MAPPER.constructType(TxResult.class));
        }
        throw refusal(r);
    }

    /** Submits signed transactions to be applied in this order; returns their results once all are durable. */
    public List<TxResult> submitAll(List<SignedTx> txs) {
        byte[] body = new TxBatch(txs.stream().map(SignedTx::toBytes).toList()).toBinary();
        HttpResponse<byte[]> r = send(request("/v1/transactions").header("Content-Type", TxBatch.BINARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (r.statusCode() == 200) {
            return this.<TxResults>read(r, Json.MAPPER.constructType(TxResults.class)).results();
        }
        throw refusal(r);
    }

    /** Encodes a query parameter's value. */
    public static String param(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private <T> T get(String path, Class<T> type) {
        HttpResponse<byte[]> r = send(request(path).GET().build());
        if (r.statusCode() != 200) {
            throw refusal(r);
        }
        return read(r, Json.MAPPER.constructType(type));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(node.resolve(path)).timeout(TIMEOUT);
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new NodeException(0, "cannot reach the node at " + node + " (is it running?)");
        } catch (IOException e) {
            throw new NodeException(0, "the call to " + request.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException(0, "interrupted while calling " + request.uri());
        }
    }

    private static NodeException refusal(HttpResponse<byte[]> r) {
        String reason;
        try {
            reason = Json.MAPPER.readValue(r.body(), ApiError.class).error();
        } catch (IOException e) {
            reason = new String(r.body(), StandardCharsets.UTF_8);
        }
        return new NodeException(r.statusCode(), "the node refused (" + r.statusCode() + "): " + reason);
    }

    private static <T> T read(HttpResponse<byte[]> r, JavaType type) {
        try {
            return Json.MAPPER.readValue(r.body(), type);
        } catch (IOException e) {
            throw new NodeException(r.statusCode(), "the node's answer to " + r.request().uri() + " is not the expected JSON: " + e.getMessage());
        }
    }
}
