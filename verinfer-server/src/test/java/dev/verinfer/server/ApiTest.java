package dev.verinfer.server;

import dev.verinfer.api.ApiError;
import dev.verinfer.api.Changes;
import dev.verinfer.api.Json;
import dev.verinfer.api.RequestView;
import dev.verinfer.api.TxBatch;
import dev.verinfer.api.TxResult;
import dev.verinfer.client.KeyFile;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.NodeException;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Model;
import dev.verinfer.market.Request;
import dev.verinfer.market.SignedTx;
import dev.verinfer.market.Signer;
import dev.verinfer.market.Tx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's API in-process on loopback: the OpenAPI description against the routes, commits, refusals (unsigned, forged, replayed, malformed), reads. */
class ApiTest {
    private static final String CHAIN = "api-test";
    private static final byte[] KEY = "api-test-model".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    private static MarketNode node;
    private static MarketClient client;
    private static RemoteAccount operator;
    private static KeyPair operatorKeys;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Raw(int status, String body) {
        ApiError error() throws Exception {
            ApiError e = Json.MAPPER.readValue(body, ApiError.class);
            assertTrue(e.error() != null && !e.error().isBlank() && !e.error().contains("\n") && !e.error().contains("\tat "), body);
            return e;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        operatorKeys = KeyFile.generate();
        MarketParams params = MarketParams.defaults(CHAIN, new Signer(operatorKeys, CHAIN).accountId());
        node = MarketNode.start(NodeConfig.defaults(dir).withBlockInterval(java.time.Duration.ofMillis(10)), params, new StubVerifier());
        client = new MarketClient(node.uri());
        operator = RemoteAccount.of(client, operatorKeys);
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    /** A funded account. */
    private static KeyPair funded(long amount) {
        KeyPair k = KeyFile.generate();
        TxResult r = operator.submit(new Tx.Deposit(new Signer(k, CHAIN).accountId(), amount));
        assertTrue(r.accepted(), r::toString);
        return k;
    }

    private static Raw post(byte[] body, String contentType) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(node.uri().resolve("/v1/transactions")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Raw(r.statusCode(), r.body());
    }

    private static Raw get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.uri() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return new Raw(r.statusCode(), r.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDescriptionListsExactlyTheRoutesServed() throws Exception {
        Raw spec = get("/openapi.yaml");
        assertEquals(200, spec.status());
        Map<String, Object> doc = new Yaml().load(spec.body());
        assertTrue(((String) doc.get("openapi")).startsWith("3."));
        Set<String> described = new HashSet<>();
        ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, ops) -> ops.keySet().forEach(m -> described.add(m.toUpperCase() + " " + path)));
        assertEquals(Set.copyOf(node.routes()), described);
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) doc.get("paths");
        for (var path : paths.entrySet()) {
            Map<String, Object> get = path.getValue().get("get");
            if (get != null) {
                Raw r = get(path.getKey().replace("{height}", "1").replace("{id}", "1"));
                Set<String> documented = ((Map<String, Object>) get.get("responses")).keySet();
                assertTrue(documented.contains(Integer.toString(r.status())), "GET " + path.getKey() + " answered " + r.status() + ", documented " + documented);
            }
        }
    }

    @Test
    void aCommittedTransactionIsAnsweredWithItsDurableBlock() {
        KeyPair k = KeyFile.generate();
        String id = new Signer(k, CHAIN).accountId();
        TxResult r = operator.submit(new Tx.Deposit(id, 500));
        assertTrue(r.accepted());
        assertTrue(r.height() >= 1 && r.height() <= client.head().height());
        assertTrue(client.block(r.height()).transactions().contains(r), "the block holds the transaction with the answered outcome");
        assertEquals(500, client.account(id).orElseThrow().balance());
    }

    @Test
    void aRuleRejectionIsCommittedAndAnswered422WithTheMarketsReason() throws Exception {
        KeyPair k = funded(100);
        Signer s = new Signer(k, CHAIN);
        Raw r = post(s.sign(0, new Tx.RegisterProver(1_000)).toBytes(), "application/octet-stream");
        assertEquals(422, r.status(), r.body());
        TxResult result = Json.MAPPER.readValue(r.body(), TxResult.class);
        assertFalse(result.accepted());
        assertEquals("balance 89 is less than the 1000 needed for the stake", result.reason(), "the fee of 11 was paid first");
        assertEquals(1, client.account(s.accountId()).orElseThrow().nonce(), "a rejected transaction consumed its nonce");
        assertEquals(89, client.account(s.accountId()).orElseThrow().balance(), "and cost its sender the fee");
    }

    @Test
    void unsignedForgedOtherMarketReplayedAndUnknownSendersAreRefused() throws Exception {
        KeyPair k = funded(100);
        Signer s = new Signer(k, CHAIN);
        SignedTx genuine = s.sign(0, new Tx.Withdraw(1));
        SignedTx unsigned = new SignedTx(genuine.publicKey(), 0, genuine.body(), new byte[0]);
        SignedTx forged = new SignedTx(genuine.publicKey(), 0, new Tx.Withdraw(100), genuine.signature());
        SignedTx otherMarket = new Signer(k, "another-market").sign(0, new Tx.Withdraw(1));
        for (SignedTx bad : List.of(unsigned, forged, otherMarket)) {
            Raw r = post(bad.toBytes(), "application/octet-stream");
            assertEquals(401, r.status(), r.body());
            assertTrue(r.error().error().startsWith("invalid signature"), r.body());
        }
        assertEquals(0, client.account(s.accountId()).orElseThrow().nonce(), "refused before the ledger");
        assertEquals(200, post(genuine.toBytes(), "application/octet-stream").status());
        Raw replay = post(genuine.toBytes(), "application/octet-stream");
        assertEquals(409, replay.status(), replay.body());
        assertTrue(replay.error().error().contains("already used"), replay.body());
        assertEquals(100 - 1 - 11, client.account(s.accountId()).orElseThrow().balance(), "applied once, its fee paid once");
        Raw stranger = post(Signer.generate(CHAIN).sign(0, new Tx.Withdraw(1)).toBytes(), "application/octet-stream");
        assertEquals(403, stranger.status(), stranger.body());
        assertTrue(stranger.error().error().startsWith("unknown account"), stranger.body());
        NodeException e = assertThrows(NodeException.class, () -> client.submit(genuine));
        assertEquals(409, e.status());
    }

    @Test
    void malformedCallsAreRefusedWithOneLineNeverAStackTrace() throws Exception {
        record Case(Raw raw, int status, String start) {}
        List<Case> cases = List.of(
                new Case(post("garbage".getBytes(StandardCharsets.US_ASCII), "application/octet-stream"), 400, "malformed transaction"),
                new Case(post(new byte[0], "application/octet-stream"), 400, "malformed transaction"),
                new Case(post("{".getBytes(StandardCharsets.US_ASCII), "application/json"), 400, "malformed JSON batch"),
                new Case(post("{\"transactions\": []}".getBytes(StandardCharsets.US_ASCII), "application/json"), 400, "a batch holds"),
                new Case(post("{\"transactions\": [\"not base64!\"]}".getBytes(StandardCharsets.US_ASCII), "application/json"), 400, "malformed JSON batch"),
                new Case(post("{\"transactions\": [\"AAAA\"]}".getBytes(StandardCharsets.US_ASCII), "application/json"), 400, "transaction 0 of the batch: malformed"),
                new Case(post(new byte[] {0, 0, 0}, TxBatch.BINARY), 400, "malformed binary batch: truncated"),
                new Case(post(new byte[] {0, 0, 0, 0}, TxBatch.BINARY), 400, "malformed binary batch: 0 transactions"),
                new Case(post(new byte[] {0, 0, 0, 1, 0, 0, 0, 9, 1}, TxBatch.BINARY), 400, "malformed binary batch: transaction 0 has length 9"),
                new Case(post(new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 1, 2}, TxBatch.BINARY), 400, "malformed binary batch: 1 trailing bytes"),
                new Case(post(new TxBatch(List.of(new byte[] {1, 2, 3})).toBinary(), TxBatch.BINARY), 400, "transaction 0 of the batch: malformed"),
                new Case(post("x".getBytes(StandardCharsets.US_ASCII), "text/plain"), 415, "a transaction is sent as"),
                new Case(get("/v1/requests/abc"), 400, "id must be a non-negative number"),
                new Case(get("/v1/head?after=-3"), 400, "after must be"),
                new Case(get("/v1/requests?status=DONE"), 400, "status must be"),
                new Case(get("/v1/requests/999999"), 404, "no request 999999"),
                new Case(get("/v1/accounts/nobody"), 404, "no account nobody"),
                new Case(get("/v1/blocks/0"), 404, "no block 0"),
                new Case(get("/v2/anything"), 404, "no such resource"));
        for (Case c : cases) {
            assertEquals(c.status(), c.raw().status(), c.raw().body());
            assertTrue(c.raw().error().error().startsWith(c.start()), c.raw().body());
        }
        HttpResponse<String> delete = HTTP.send(HttpRequest.newBuilder(node.uri().resolve("/v1/transactions")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, delete.statusCode(), delete.body());
    }

    @Test
    void aBatchAppliesInOrderAndTheReadsShowItsEffects() throws Exception {
        KeyPair k = funded(10_000);
        RemoteAccount a = RemoteAccount.of(client, k);
        String model = new StubVerifier().modelId(KEY);
        byte[] input = {7, 7, 7};
        a.send(new Tx.RegisterModel(KEY, 5));
        a.send(new Tx.RegisterProver(1_000));
        a.send(new Tx.SubmitRequest(model, input, 100, client.head().timeMillis() + 60_000, new Mode.Optimistic(5_000)));
        List<RemoteAccount.Sent> sent = a.flush();
        assertEquals(3, sent.size());
        assertTrue(sent.stream().allMatch(x -> x.result().accepted()), sent.toString());
        assertEquals(3, client.account(a.id()).orElseThrow().nonce());
        assertEquals(1_000, client.account(a.id()).orElseThrow().prover().stake());
        assertTrue(client.models().stream().anyMatch(m -> m.id().equals(Model.key(model, a.id())) && m.owner().equals(a.id()) && m.verifyingKey() == null));
        assertArrayEquals(KEY, client.model(model).verifyingKey(), "found by the bare model id while one owner lists it");
        assertArrayEquals(KEY, client.model(Model.key(model, a.id())).verifyingKey());
        List<RequestView> open = client.requests("status=OPEN&model=" + model + "&client=" + a.id());
        assertEquals(1, open.size());
        assertNull(open.getFirst().input(), "lists leave inputs out");
        assertEquals(3, open.getFirst().inputBytes());
        RequestView full = client.request(open.getFirst().id());
        Request r = full.toRequest(full.input());
        assertArrayEquals(input, r.input());
        assertEquals(new Mode.Optimistic(5_000), r.mode());
        assertEquals(List.of(), client.requests("status=SETTLED&client=" + a.id()));
        // The same batch as JSON (RemoteAccount sends it in binary): two withdrawals in nonce order.
        Signer signer = new Signer(k, CHAIN);
        byte[] json = Json.MAPPER.writeValueAsBytes(new TxBatch(List.of(signer.sign(3, new Tx.Withdraw(1)).toBytes(), signer.sign(4, new Tx.Withdraw(2)).toBytes())));
        Raw batch = post(json, "application/json");
        assertEquals(200, batch.status(), batch.body());
        assertEquals(5, client.account(a.id()).orElseThrow().nonce());
        assertEquals(List.of(), client.invariantViolations());
        assertEquals("ok", client.health().status());
    }

    @Test
    void aSecondNodeOnTheSameDataDirectoryIsRefusedAndLeavesTheFirstIntact() {
        long height = client.head().height();
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> MarketNode.start(NodeConfig.defaults(dir), null, new StubVerifier()));
        assertEquals("another node is running on " + dir + " (it holds node.lock)", e.getMessage());
        assertTrue(client.headAfter(height, 5_000).height() > height);
        assertEquals("ok", client.health().status());
    }

    @Test
    void theHeadLongPollAnswersWithTheNextBlock() {
        long h = client.head().height();
        assertTrue(client.headAfter(h, 5_000).height() > h);
    }

    @Test
    void theChangeFeedAnswersWithTheRequestsLaterBlocksChangedOnceOneOfTheCallersDid() throws Exception {
        KeyPair k = funded(10_000);
        RemoteAccount a = RemoteAccount.of(client, k);
        byte[] key = "api-test-feed-model".getBytes(StandardCharsets.US_ASCII);
        String model = new StubVerifier().modelId(key);
        assertTrue(a.submit(new Tx.RegisterModel(key, 5)).accepted());
        long h = client.head().height();
        String mine = "client=" + a.id();
        Changes none = client.changes(h, 200, mine);
        assertFalse(none.reset());
        assertEquals(List.of(), none.requests(), "nothing of this client changed: answered empty after the wait");
        assertTrue(client.changes(h, 5_000, "client=" + a.id().replace('a', 'b') + "&every=block").head().height() > h, "every=block: answered at the next block");
        CompletableFuture<Changes> waiting = CompletableFuture.supplyAsync(() -> client.changes(h, 10_000, mine + "&inputs=true"));
        byte[] input = {4, 5, 6};
        assertTrue(a.submit(new Tx.SubmitRequest(model, input, 100, client.head().timeMillis() + 60_000, new Mode.Optimistic(5_000))).accepted());
        Changes opened = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(1, opened.requests().size(), opened.toString());
        RequestView r = opened.requests().getFirst();
        assertEquals(Request.Status.OPEN, r.status());
        assertArrayEquals(input, r.input());
        assertTrue(a.submit(new Tx.CancelRequest(r.id())).accepted());
        Changes cancelled = client.changes(opened.head().height(), 10_000, mine);
        assertEquals(List.of(r.id()), cancelled.requests().stream().map(RequestView::id).toList());
        assertEquals(Request.Status.REFUNDED, cancelled.requests().getFirst().status());
        assertNull(cancelled.requests().getFirst().input(), "inputs only when asked for");
        assertEquals(List.of(), client.changes(cancelled.head().height(), 200, mine).requests(), "a change is reported once");
    }

    @Test
    void theChangeFeedAnswersAHeightFromBeforeTheNodesStartWithEveryLiveRequest(@TempDir Path other) throws Exception {
        KeyPair keys = KeyFile.generate();
        MarketParams params = MarketParams.defaults(CHAIN, new Signer(keys, CHAIN).accountId());
        NodeConfig config = NodeConfig.defaults(other).withBlockInterval(java.time.Duration.ofMillis(10));
        String model = new StubVerifier().modelId(KEY);
        long before;
        long live;
        try (MarketNode first = MarketNode.start(config, params, new StubVerifier())) {
            MarketClient c = new MarketClient(first.uri());
            RemoteAccount op = RemoteAccount.of(c, keys);
            op.send(new Tx.Deposit(op.id(), 10_000));
            op.send(new Tx.RegisterModel(KEY, 5));
            op.send(new Tx.SubmitRequest(model, new byte[] {1}, 100, c.head().timeMillis() + 60_000, new Mode.Optimistic(5_000)));
            op.send(new Tx.SubmitRequest(model, new byte[] {2}, 100, c.head().timeMillis() + 60_000, new Mode.Optimistic(5_000)));
            assertTrue(op.flush().stream().allMatch(x -> x.result().accepted()));
            List<RequestView> requests = c.requests("");
            before = c.head().height();
            assertTrue(op.submit(new Tx.CancelRequest(requests.getFirst().id())).accepted());
            live = requests.getLast().id();
        }
        try (MarketNode second = MarketNode.start(config, null, new StubVerifier())) {
            Changes c = new MarketClient(second.uri()).changes(before, 1_000, "");
            assertTrue(c.reset(), "the restarted node does not know what changed after " + before);
            assertEquals(List.of(live), c.requests().stream().map(RequestView::id).toList(), "every live request, the cancelled one not");
        }
    }

    @Test
    void theChangeFeedsBinaryFormIsItsJsonAsTheMarketRecordsTheRequests() throws Exception {
        KeyPair k = funded(10_000);
        RemoteAccount a = RemoteAccount.of(client, k);
        byte[] key = "api-test-binary-feed-model".getBytes(StandardCharsets.US_ASCII);
        String model = new StubVerifier().modelId(key);
        assertTrue(a.submit(new Tx.RegisterModel(key, 5)).accepted());
        long h = client.head().height();
        byte[] input = {7, 8, 9, 10};
        a.send(new Tx.SubmitRequest(model, input, 100, client.head().timeMillis() + 60_000, new Mode.Optimistic(5_000)));
        a.send(new Tx.SubmitRequest(model, new byte[] {1}, 200, client.head().timeMillis() + 60_000, new Mode.Zk()));
        assertTrue(a.flush().stream().allMatch(x -> x.result().accepted()));
        String mine = "client=" + a.id();
        Changes json = client.changes(h, 1_000, mine + "&inputs=true");
        dev.verinfer.market.RequestFeedCodec.Feed binary = client.changeFeed(h, 1_000, mine + "&inputs=true");
        assertEquals(2, binary.requests().size(), binary.toString());
        assertEquals(json.head().height(), binary.height());
        assertEquals(json.head().hash(), binary.hash());
        assertEquals(json.reset(), binary.reset());
        for (int i = 0; i < 2; i++) {
            RequestView v = json.requests().get(i);
            Request r = binary.requests().get(i);
            assertEquals(List.of(v.id(), v.status(), v.maxFee(), v.mode().toMode()), List.of(r.id(), r.status(), r.maxFee(), r.mode()));
            assertArrayEquals(v.input(), r.input());
        }
        assertArrayEquals(input, binary.requests().getFirst().input());
        assertArrayEquals(new byte[0], client.changeFeed(h, 1_000, mine).requests().getFirst().input(), "inputs only when asked for");
        Raw wrong = get("/v1/requests/changes?after=" + h + "&format=xml");
        assertEquals(400, wrong.status());
        assertTrue(wrong.error().error().contains("binary"), wrong.body());
        byte[] bytes = dev.verinfer.market.RequestFeedCodec.encode(1, "ab", 2, false, binary.requests(), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dev.verinfer.market.RequestFeedCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)));
        assertTrue(e.getMessage().startsWith("malformed change feed: "), e.getMessage());
    }

    @Test
    void theChangeFeedNeedsTheCallersHeight() throws Exception {
        Raw r = get("/v1/requests/changes?waitMillis=10");
        assertEquals(400, r.status());
        assertTrue(r.error().error().contains("after"), r.body());
    }
}
