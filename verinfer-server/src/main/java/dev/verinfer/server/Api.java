package dev.verinfer.server;

import dev.verinfer.api.AccountView;
import dev.verinfer.api.BlockView;
import dev.verinfer.api.Health;
import dev.verinfer.api.Lists;
import dev.verinfer.api.ModelView;
import dev.verinfer.api.RequestView;
import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.market.Invariants;
import dev.verinfer.market.Market;
import dev.verinfer.market.Model;
import dev.verinfer.market.Request;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The node's routes (version 1), each answered from the market's state as of the latest durable block. */
final class Api {
    static final long MAX_WAIT_MILLIS = 30_000;
    static final int MAX_LIST = 10_000;

    private final EmbeddedLedger<Market> ledger;
    private final HeadWatch head;
    private final RequestFeed feed;
    private final Supplier<Optional<Throwable>> failure;
    private final byte[] openApi;

    Api(EmbeddedLedger<Market> ledger, HeadWatch head, RequestFeed feed, Supplier<Optional<Throwable>> failure) throws IOException {
        this.ledger = ledger;
        this.head = head;
        this.feed = feed;
        this.failure = failure;
        try (InputStream in = Api.class.getResourceAsStream("openapi.yaml")) {
            openApi = in.readAllBytes();
        }
    }

    Router router(Submissions submissions) {
        return new Router()
                .route("GET", "/openapi.yaml", c -> new Router.Answer(200, "application/yaml", openApi))
                .route("GET", "/v1/health", this::health)
                .route("GET", "/v1/market", c -> ledger.read(Market::params))
                .route("GET", "/v1/head", c -> c.query("after") == null ? head.head()
                        : head.after(c.queryNumber("after", 0), Math.min(c.queryNumber("waitMillis", 10_000), MAX_WAIT_MILLIS)))
                .route("GET", "/v1/blocks/{height}", this::block)
                .route("GET", "/v1/accounts/{id}", this::account)
                .route("GET", "/v1/models", c -> new Lists.Models(ledger.read(m -> m.state().models().stream()
                        .map(x -> new ModelView(x.id(), x.owner(), x.royalty(), x.deprecated(), null, null)).toList())))
                .route("GET", "/v1/models/{id}", c -> ledger.read(m -> listing(m, c.path("id")))
                        .map(x -> new ModelView(x.id(), x.owner(), x.royalty(), x.deprecated(), x.verifyingKey(), x.weightRotations()))
                        .orElseThrow(() -> new ApiException(404, "no model " + c.path("id"))))
                .route("GET", "/v1/requests", this::requests)
                .route("GET", "/v1/requests/changes", this::changes)
                .route("GET", "/v1/requests/{id}", c -> ledger.read(m -> m.state().request(c.pathNumber("id")))
                        .map(r -> RequestView.of(r, true))
                        .orElseThrow(() -> new ApiException(404, "no request " + c.path("id"))))
                .route("GET", "/v1/slashes", c -> new Lists.Slashes(ledger.read(m -> List.copyOf(m.state().slashes()))))
                .route("GET", "/v1/invariants", c -> new Lists.Violations(ledger.read(m -> Invariants.violations(m.state()))))
                .route("POST", "/v1/transactions", submissions::submit);
    }

    /** A listing by its key, or by a bare model id that exactly one owner lists. */
    private static Optional<Model> listing(Market m, String id) {
        Optional<Model> exact = m.state().model(id);
        if (exact.isPresent() || id.indexOf('@') >= 0) {
            return exact;
        }
        List<Model> listings = m.state().models().stream().filter(x -> x.modelId().equals(id)).toList();
        return listings.size() == 1 ? Optional.of(listings.getFirst()) : Optional.empty();
    }

    private Router.Answer health(Call c) {
        Optional<Throwable> f = failure.get();
        long height = head.head().height();
        return f.map(e -> Router.Answer.json(503, new Health("failed", height, e.toString())))
                .orElseGet(() -> Router.Answer.json(200, new Health("ok", height, "")));
    }

    private BlockView block(Call c) {
        long h = c.pathNumber("height");
        if (h < 1 || h > ledger.height()) {
            throw new ApiException(404, "no block " + h + " (the head is at " + ledger.height() + ")");
        }
        Block b = ledger.blocks(h, 1).getFirst();
        return new BlockView(b.height(), b.hash().hex(), b.parentHash().hex(), b.timeMillis(),
                b.outcomes().stream().map(o -> Commits.result(b.height(), o)).toList());
    }

    private AccountView account(Call c) {
        String id = c.path("id");
        return ledger.read(m -> m.state().account(id).map(a -> new AccountView(id, a.balance(), a.nonce(), m.state().prover(id).orElse(null))))
                .orElseThrow(() -> new ApiException(404, "no account " + id));
    }

    /**
     * Filters ({@link #filter}) and {@code after} (ids above), {@code limit}; {@code inputs=true} includes the inputs.
     */
    private Lists.Requests requests(Call c) {
        Predicate<Request> f = filter(c);
        long after = c.queryNumber("after", 0);
        long limit = Math.min(c.queryNumber("limit", MAX_LIST), MAX_LIST);
        boolean inputs = Boolean.parseBoolean(c.query("inputs"));
        return new Lists.Requests(ledger.read(m -> m.state().requestsAfter(after).stream().filter(f).limit(limit)
                .map(r -> RequestView.of(r, inputs)).toList()));
    }

    /**
     * {@code GET /v1/requests/changes?after=H}: the requests the blocks after height H changed ({@link RequestFeed}), filtered as
     * {@link #filter}; answered once one matches, or with {@code every=block} once any block follows H, else after {@code waitMillis}.
     */
    private Object changes(Call c) throws InterruptedException {
        if (c.query("after") == null) {
            throw new ApiException(400, "after=H is required: the height the caller has seen (0 at first), whose later changes it asks for");
        }
        String format = c.query("format") == null ? "json" : c.query("format");
        if (!format.equals("json") && !format.equals("binary")) {
            throw new ApiException(400, "format is json (the default) or binary (RequestFeedCodec), not '" + format + "'");
        }
        boolean inputs = Boolean.parseBoolean(c.query("inputs"));
        RequestFeed.Answer a = feed.after(c.queryNumber("after", 0), Math.min(c.queryNumber("waitMillis", 10_000), MAX_WAIT_MILLIS),
                "block".equals(c.query("every")), filter(c));
        return format.equals("json") ? a.views(inputs) : new Router.Answer(200, "application/octet-stream", feed.binary(a, inputs));
    }

    /** Request filters: {@code status} (comma-separated), {@code model} (listing keys, or model ids for every listing of them), {@code client}, {@code prover} (the lock's). */
    private static Predicate<Request> filter(Call c) {
        Predicate<Request> filter = r -> true;
        if (c.query("status") != null) {
            Set<Request.Status> statuses = statuses(c.query("status"));
            filter = filter.and(r -> statuses.contains(r.status()));
        }
        String model = c.query("model");
        String client = c.query("client");
        String prover = c.query("prover");
        if (model != null) {
            Set<String> models = Set.of(model.split(","));
            filter = filter.and(r -> models.contains(r.modelId()) || models.contains(Model.modelIdOf(r.modelId())));
        }
        if (client != null) {
            filter = filter.and(r -> r.client().equals(client));
        }
        if (prover != null) {
            filter = filter.and(r -> r.lock() != null && r.lock().prover().equals(prover));
        }
        return filter;
    }

    private static Set<Request.Status> statuses(String csv) {
        try {
            return Arrays.stream(csv.split(",")).map(s -> Request.Status.valueOf(s.strip().toUpperCase(Locale.ROOT))).collect(Collectors.toSet());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "status must be a comma-separated list of " + Arrays.toString(Request.Status.values()) + ", not '" + csv + "'");
        }
    }
}
