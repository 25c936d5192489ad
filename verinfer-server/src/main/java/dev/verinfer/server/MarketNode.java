package dev.verinfer.server;

import com.sun.net.httpserver.HttpServer;
import dev.verinfer.api.Head;
import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.BlockProducer;
import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.ledger.Hash;
import dev.verinfer.market.Market;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.ProofVerifier;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A market node: the market on the embedded durable ledger in the data directory, a block producer
 * sealing a block every interval, and the HTTP/JSON API ({@code /openapi.yaml}) on the configured
 * address. Closing it stops taking calls, lets the submissions in flight commit, stops the producer
 * and closes the ledger; a node killed instead restarts on the same directory with every
 * acknowledged transaction. One node at a time runs on a data directory.
 */
public final class MarketNode implements AutoCloseable {
    private final DataDirLock lock;
    private final EmbeddedLedger<Market> ledger;
    private final BlockProducer producer;
    private final HttpServer http;
    private final ExecutorService executor;
    private final List<Router.Route> routes;

    private MarketNode(DataDirLock lock, EmbeddedLedger<Market> ledger, BlockProducer producer, HttpServer http, ExecutorService executor, List<Router.Route> routes) {
        this.lock = lock;
        this.ledger = ledger;
        this.producer = producer;
        this.http = http;
        this.executor = executor;
        this.routes = routes;
    }

    /**
     * Opens (or creates) the market in {@code config.dataDir()} and serves it.
     *
     * @param initial the market's parameters on first start (null to require an existing market); a later start must give the same or null
     */
    public static MarketNode start(NodeConfig config, MarketParams initial, ProofVerifier verifier) throws IOException {
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        EmbeddedLedger<Market> ledger = null;
        HttpServer http = null;
        try {
            MarketParams params = Genesis.load(config.dataDir(), initial);
            ledger = EmbeddedLedger.open(config.dataDir(), new Market(params, verifier),
                    new EmbeddedLedger.Options(config.snapshotEvery(), config.maxBlockTransactions(), System::currentTimeMillis));
            http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 256);
            HeadWatch head = new HeadWatch(head(ledger));
            RequestFeed feed = new RequestFeed(ledger, head.head());
            Commits commits = new Commits();
            ledger.subscribe(commits::onBlock);
            ledger.subscribe(feed::onBlock);
            ledger.subscribe(head::onBlock);
            AtomicReference<BlockProducer> producing = new AtomicReference<>();
            Supplier<Optional<Throwable>> failure = () -> producing.get().failure();
            Submissions submissions = new Submissions(ledger, commits, params, config.commitTimeout(), failure);
            ledger.subscribe(submissions::onBlock);
            Router router = new Api(ledger, head, feed, failure).router(submissions);
            ExecutorService executor = config.httpThreads() == 0 ? Executors.newVirtualThreadPerTaskExecutor()
                    : Executors.newFixedThreadPool(config.httpThreads(), Thread.ofPlatform().name("http-", 0).factory());
            http.setExecutor(executor);
            http.createContext("/", router);
            BlockProducer producer = BlockProducer.start(ledger, config.blockInterval());
            producing.set(producer);
            http.start();
            return new MarketNode(lock, ledger, producer, http, executor, router.routes());
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.stop(0);
            }
            if (ledger != null) {
                ledger.close();
            }
            lock.close();
            throw e;
        }
    }

    private static Head head(EmbeddedLedger<Market> ledger) {
        long h = ledger.height();
        if (h == 0) {
            return new Head(0, Hash.ZERO.hex(), 0);
        }
        Block b = ledger.blocks(h, 1).getFirst();
        return new Head(h, b.hash().hex(), b.timeMillis());
    }

    /** Where the API is served, e.g. {@code http://127.0.0.1:8645}. */
    public URI uri() {
        InetSocketAddress a = http.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    /** The routes served, e.g. "GET /v1/requests/{id}" (checked against the OpenAPI description). */
    List<String> routes() {
        return routes.stream().map(r -> r.method() + " " + r.template()).toList();
    }

    /** The block producer's failure, if it stopped. */
    public Optional<Throwable> failure() {
        return producer.failure();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        http.stop(1);
        producer.close();
        executor.shutdownNow();
        ledger.close();
        lock.close();
    }
}
