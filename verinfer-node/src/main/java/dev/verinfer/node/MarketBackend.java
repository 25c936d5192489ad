package dev.verinfer.node;

import dev.verinfer.api.AccountView;
import dev.verinfer.api.RequestView;
import dev.verinfer.api.TxResult;
import dev.verinfer.client.AgentBackend;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.eth.EthMarket;
import dev.verinfer.eth.Receipt;
import dev.verinfer.eth.SampleDraw;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Model;
import dev.verinfer.market.Request;
import dev.verinfer.market.Slash;
import dev.verinfer.market.Tx;
import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.zkml.VerifyingKey;
import dev.verinfer.zkml.WeightRotations;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client's side of the market, one set of command bodies over both backends: the embedded market
 * behind a node ({@link OnNode}: units, Ed25519 accounts, the node's clock) and a market contract on
 * an Ethereum chain ({@link OnChain}: an ERC-20 token, secp256k1 accounts, block time). Each method
 * sends what the command does, prints a line per step and returns what {@code --json} prints.
 */
sealed interface MarketBackend {
    /** A posted output and whether it is final (settled: verified or unchallenged, and paid). */
    record Posted(String status, boolean settled, byte[] output) {
    }

    String accountId();

    Object deposit(String to, BigInteger amount, Console console);

    Map<String, Object> registerModel(VerifyingKey vk, BigInteger royalty, String verifier, Console console);

    Object registerProver(BigInteger stake, Console console);

    /** Posts a request of the model {@code vk} (listed by {@code owner}, or by its only owner when null); returns its id. */
    long request(VerifyingKey vk, String owner, byte[] input, BigInteger maxFee, long deadlineSeconds, Mode mode, Path secretOut, Console console);

    Map<String, Object> cancel(long id, Console console);

    Map<String, Object> status(long id, Console console);

    Optional<Posted> result(long id);

    Object account(String account, Console console);

    /** The market as a prover or watcher process sees it. */
    AgentBackend agent();

    /** The embedded market behind a node's API; {@code account} is null for reading. */
    record OnNode(MarketClient client, RemoteAccount account) implements MarketBackend {
        @Override public String accountId() {
            return account.id();
        }

        /** Submits; a rejection is an error with the market's reason. */
        TxResult send(Tx body, Console console) {
            TxResult r = account.submit(body);
            if (!r.accepted()) {
                throw new CliException(ExitCodes.USAGE, "the market rejected the " + body.getClass().getSimpleName() + " (block " + r.height() + "): " + r.reason());
            }
            console.line("committed  %s at block %d (transaction %s)", body.getClass().getSimpleName(), r.height(), r.hash());
            return r;
        }

        @Override public Object deposit(String to, BigInteger amount, Console console) {
            if (to == null) {
                throw new CliException(ExitCodes.USAGE, "a node's deposit credits --to ACCOUNT (signed by the operator's key)");
            }
            return send(new Tx.Deposit(NodeOption.accountId(to), Amount.onNode("--amount", amount, true)), console);
        }

        @Override public Map<String, Object> registerModel(VerifyingKey vk, BigInteger royalty, String verifier, Console console) {
            if (verifier != null) {
                throw new CliException(ExitCodes.USAGE, "--verifier names a verifier contract on a chain; a node verifies proofs itself");
            }
            TxResult r = send(new Tx.RegisterModel(vk.toBytes(), Amount.onNode("--royalty", royalty, false)), console);
            String listing = Model.key(vk.modelIdHex(), account.id());
            console.line("model id   %s", vk.modelIdHex());
            console.line("listing    %s (clients name this, or the model id while no other owner lists it)", listing);
            return Map.of("modelId", vk.modelIdHex(), "listing", listing, "height", r.height());
        }

        @Override public Object registerProver(BigInteger stake, Console console) {
            return send(new Tx.RegisterProver(Amount.onNode("--stake", stake, true)), console);
        }

        @Override public long request(VerifyingKey vk, String owner, byte[] input, BigInteger maxFee, long deadlineSeconds, Mode mode, Path secretOut, Console console) {
            if (secretOut != null) {
                throw new CliException(ExitCodes.USAGE, "--secret-out is for a chain's sampled requests");
            }
            String modelId = owner == null ? vk.modelIdHex() : Model.key(vk.modelIdHex(), owner);
            long before = client.requests("client=" + account.id()).stream().mapToLong(RequestView::id).max().orElse(0);
            send(new Tx.SubmitRequest(modelId, input, Amount.onNode("--max-fee", maxFee, true), client.head().timeMillis() + deadlineSeconds * 1000, mode), console);
            return client.requests("client=" + account.id() + "&after=" + before).getFirst().id();
        }

        /**
         * Posts the links of {@code local} (a model directory's rotation chain, {@code verifying.key.rotations}) that the signer's
         * listing of the model lacks, in order: the listing's chain must be a prefix of {@code local}.
         */
        Map<String, Object> rotate(VerifyingKey vk, WeightRotations local, Console console) {
            String listing = Model.key(vk.modelIdHex(), account.id());
            byte[] posted;
            try {
                posted = client.model(listing).weightRotations();
            } catch (dev.verinfer.client.NodeException e) {
                throw new CliException(ExitCodes.USAGE, "the signer " + account.id() + " lists no model " + vk.modelIdHex()
                        + " (a listing's weight rotations are posted by its owner): " + e.getMessage(), e);
            }
            WeightRotations market;
            try {
                market = posted == null || posted.length == 0 ? WeightRotations.none(vk) : WeightRotations.fromBytes(posted, vk);
            } catch (MalformedProofException e) {
                throw new CliException(ExitCodes.USAGE, "the market's rotation chain of " + listing + " does not read: " + e.getMessage(), e);
            }
            int from = market.epoch();
            boolean prefix = from <= local.epoch();
            for (int e = 0; prefix && e <= from; e++) {
                prefix = java.util.Arrays.equals(market.root(e), local.root(e));
            }
            if (!prefix) {
                throw new CliException(ExitCodes.USAGE, "the market's chain of " + listing + " (epoch " + from + ") is not a prefix of the model directory's (epoch "
                        + local.epoch() + "): this directory's rotations are not the ones posted");
            }
            for (int e = from; e < local.epoch(); e++) {
                send(new Tx.RotateWeights(listing, local.root(e), local.root(e + 1), local.linkProof(e)), console);
            }
            console.line("rotated    %s: the market's weight commitment is at epoch %d (%d link(s) posted)", listing, local.epoch(), local.epoch() - from);
            return Map.of("listing", listing, "epoch", local.epoch(), "posted", local.epoch() - from);
        }

        /** A request whose input is named by commitment roots ({@code CommittedInputs}); its id. */
        long requestCommitted(VerifyingKey vk, String owner, List<byte[]> roots, BigInteger maxFee, long deadlineSeconds, Mode mode, Console console) {
            String modelId = owner == null ? vk.modelIdHex() : Model.key(vk.modelIdHex(), owner);
            long before = client.requests("client=" + account.id()).stream().mapToLong(RequestView::id).max().orElse(0);
            send(new Tx.SubmitCommittedRequest(modelId, roots, Amount.onNode("--max-fee", maxFee, true), client.head().timeMillis() + deadlineSeconds * 1000, mode,
                    Tx.Attestation.NONE), console);
            return client.requests("client=" + account.id() + "&after=" + before).getFirst().id();
        }

        @Override public Map<String, Object> cancel(long id, Console console) {
            TxResult r = send(new Tx.CancelRequest(id), console);
            return Map.of("requestId", id, "height", r.height());
        }

        @Override public Map<String, Object> status(long id, Console console) {
            RequestView r = client.request(id);
            List<Slash> slashes = client.slashes().stream().filter(s -> s.requestId() == id).toList();
            console.line("request    %d: %s (%s), model %s", r.id(), r.status(), describe(r.mode()), r.modelId());
            console.line("client     %s, max fee %d, deadline %d", r.client(), r.maxFee(), r.deadline());
            if (r.lock() != null) console.line("lock       %s at price %d, collateral %d, until %d", r.lock().prover(), r.lock().price(), r.lock().collateral(), r.lock().expiresAt());
            if (r.result() != null) console.line("result     posted at block %d", r.result().postedHeight());
            if (r.dispute() != null) console.line("dispute    %s, proof due by %d", r.dispute().challenger().isEmpty() ? "sampled" : "challenged by " + r.dispute().challenger(), r.dispute().respondBy());
            slashes.forEach(s -> console.line("slashed    %s lost %d at block %d: %s", s.prover(), s.amount(), s.height(), s.cause()));
            return Map.of("request", r, "slashes", slashes);
        }

        private static String describe(dev.verinfer.api.ModeView m) {
            return switch (m.kind()) {
                case "optimistic" -> "optimistic, challenge window " + m.windowMillis() + " ms";
                case "sampled" -> "sampled at " + m.probabilityBps() + " bps, proof within " + m.windowMillis() + " ms";
                default -> m.kind();
            };
        }

        @Override public Optional<Posted> result(long id) {
            RequestView r = client.request(id);
            return r.result() == null ? Optional.empty()
                    : Optional.of(new Posted(r.status().name(), r.status() == Request.Status.SETTLED, r.result().output()));
        }

        @Override public Object account(String idOrKey, Console console) {
            String id = NodeOption.accountId(idOrKey);
            AccountView a = client.account(id).orElseThrow(() -> new CliException(ExitCodes.USAGE, "the market has no account " + id + " (an account begins with a deposit)"));
            console.line("account    %s", a.id());
            console.line("balance    %d", a.balance());
            console.line("nonce      %d", a.nonce());
            if (a.prover() != null) {
                console.line("prover     stake %d, collateral %d, served %d, failed %d, slashed %d", a.prover().stake(), a.prover().collateral(),
                        a.prover().served(), a.prover().failed(), a.prover().slashed());
            }
            return a;
        }

        @Override public AgentBackend agent() {
            return AgentBackend.node(client, account);
        }
    }

    /** A market contract on an Ethereum chain: every step is a transaction, simulated first, waited for and its gas printed. */
    record OnChain(ChainMarket chain) implements MarketBackend {
        private EthMarket market() {
            return chain.market();
        }

        @Override public String accountId() {
            return chain.account().address();
        }

        static void gas(Console console, String step, Receipt r) {
            console.line("%-10s block %d, gas %d (transaction %s)", step, r.block(), r.gasUsed(), r.txHash());
        }

        @Override public Object deposit(String to, BigInteger amount, Console console) {
            if (to != null && !to.equalsIgnoreCase(accountId()) && !(java.nio.file.Files.isRegularFile(Path.of(to))
                    && ChainMarket.credentials(Path.of(to)).getAddress().equalsIgnoreCase(accountId()))) {
                throw new CliException(ExitCodes.USAGE, "on a chain an account deposits its own tokens: sign with its --key (--to, if given, is that account)");
            }
            BigInteger n = Amount.check("--amount", amount, Amount.uintMax(256), true, "an ERC-20 amount (uint256)");
            gas(console, "approve", chain.token().approve(market().address(), n));
            gas(console, "deposit", market().deposit(n));
            BigInteger balance = market().balanceOf(accountId());
            console.line("balance    %s", balance);
            return Map.of("balance", balance);
        }

        @Override public Map<String, Object> registerModel(VerifyingKey vk, BigInteger royalty, String verifier, Console console) {
            if (verifier == null) {
                throw new CliException(ExitCodes.USAGE, "on a chain, --verifier ADDRESS names the IProofVerifier contract that checks this model's proofs");
            }
            // A session verifies under its own vkHash: a listing under the model id would never see a proof accepted.
            if (dev.verinfer.eth.VerifierSession.at(chain.account(), verifier).isPresent()) {
                throw new CliException(ExitCodes.USAGE, verifier + " is a verifier session (ZkmlVerifierSession), which checks a model under the vkHash of the key"
                        + " registered with it: list the model with 'verinfer market chain register-key -m DIR --session " + verifier + "'"
                        + (vk.zeroKnowledge() ? " after compiling it with --no-zk (the session takes no zero-knowledge key)" : ""));
            }
            if (vk.zeroKnowledge()) {
                console.line("warning    a zero-knowledge model: only ZK requests ('market request' refuses OPTIMISTIC and SAMPLED ones), and the verifier"
                        + " %s must check zero-knowledge verinfer proofs (verinfer's on-chain session does not: compile with --no-zk and 'market chain"
                        + " register-key' for that)", verifier);
            }
            return list(vk.modelId(), royalty, verifier, console);
        }

        /** Lists the key {@code vkHash} (a verinfer model id, or a verifier session's vkHash) under the signer, checked by {@code verifier}. */
        Map<String, Object> list(byte[] vkHash, BigInteger royalty, String verifier, Console console) {
            Receipt r = market().registerModel(vkHash, verifier, Amount.check("--royalty", royalty, Amount.uintMax(96), false, "the contract's royalty (uint96)"));
            gas(console, "register", r);
            String id = Numeric.toHexString(market().modelIdOf(accountId(), vkHash));
            String vk = Numeric.toHexStringNoPrefix(vkHash);
            console.line("model id   %s (the listing of verifying key %s by %s, checked by %s)", id, vk, accountId(), verifier);
            return Map.of("modelId", id, "vkHash", vk, "verifier", verifier, "block", r.block());
        }

        @Override public Object registerProver(BigInteger stake, Console console) {
            Receipt r = market().registerProver(Amount.check("--stake", stake, Amount.uintMax(128), true, "the contract's stake (uint128)"));
            gas(console, "register", r);
            return Map.of("block", r.block());
        }

        @Override public long request(VerifyingKey vk, String owner, byte[] input, BigInteger maxFee, long deadlineSeconds, Mode mode, Path secretOut, Console console) {
            BigInteger fee = Amount.check("--max-fee", maxFee, Amount.uintMax(96), true, "the contract's max fee (uint96)");
            byte[] modelId = owner != null ? listingBy(ownerAddress(owner), vk) : onlyListing(vk);
            EthMarket.Terms terms = switch (mode) {
                case Mode.Zk() -> new EthMarket.Terms.Zk();
                case Mode.Optimistic(long window) -> new EthMarket.Terms.Optimistic(seconds(window));
                case Mode.Sampled(int bps, long window) -> {
                    // Without --secret-out the secret is never revealed, so every result owes its proof (the client can always force one).
                    byte[] secret = SampleDraw.newSecret(new SecureRandom());
                    if (secretOut != null) {
                        FileIO.write(secretOut, (Numeric.toHexString(secret) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), "sampling secret");
                    }
                    yield new EthMarket.Terms.Sampled(bps, seconds(window), SampleDraw.commitment(secret));
                }
            };
            Receipt r = market().submitRequest(modelId, input, fee, latestTime() + deadlineSeconds, terms);
            gas(console, "request", r);
            return market().requestId(r);
        }

        private static long seconds(long millis) {
            return Math.ceilDiv(millis, 1000);
        }

        private static String ownerAddress(String owner) {
            return owner.matches("0x[0-9a-fA-F]{40}") ? owner : ChainMarket.credentials(Path.of(owner)).getAddress();
        }

        /**
         * The listing of the model's verifying key by {@code owner}: under its model id, or else under its
         * verifier session's vkHash ({@link SessionKeys}).
         */
        private byte[] listingBy(String owner, VerifyingKey vk) {
            byte[] plain = market().modelIdOf(owner, vk.modelId());
            if (!market().model(plain).owner().equals(ZERO_ADDRESS)) {
                return plain;
            }
            return SessionKeys.vkHash(vk).map(h -> market().modelIdOf(owner, h)).orElse(plain);
        }

        private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

        /**
         * The one listing of the model's verifying key (its ModelRegistered event), under its model id or
         * its verifier session's vkHash; an error when there is none or several.
         */
        private byte[] onlyListing(VerifyingKey vk) {
            List<byte[]> ids = new java.util.ArrayList<>(market().listings(vk.modelId()));
            SessionKeys.vkHash(vk).ifPresent(h -> ids.addAll(market().listings(h)));
            if (ids.size() != 1) {
                throw new CliException(ExitCodes.USAGE, ids.isEmpty() ? "the market lists no model with verifying key " + vk.modelIdHex()
                        : ids.size() + " owners list the model " + vk.modelIdHex() + ": name one with --owner ADDRESS");
            }
            return ids.getFirst();
        }

        long latestTime() {
            try {
                return chain.account().web3j().ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false).send()
                        .getBlock().getTimestamp().longValueExact();
            } catch (java.io.IOException e) {
                throw new CliException(ExitCodes.USAGE, "the chain did not answer eth_getBlockByNumber: " + e.getMessage(), e);
            }
        }

        @Override public Map<String, Object> cancel(long id, Console console) {
            Receipt r = market().cancel(id);
            gas(console, "cancel", r);
            return Map.of("requestId", id, "block", r.block());
        }

        @Override public Map<String, Object> status(long id, Console console) {
            EthMarket.RequestView r = market().request(id);
            if (r.status() == EthMarket.Status.NONE) {
                throw new CliException(ExitCodes.USAGE, "no request " + id);
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", r.id());
            v.put("status", r.status().name());
            v.put("mode", r.mode().name() + (r.mode() == EthMarket.Mode.ZK ? "" : " (window " + r.window() + " s" + (r.mode() == EthMarket.Mode.SAMPLED ? ", " + r.sampleBps() + " bps" : "") + ")"));
            v.put("model", Numeric.toHexString(r.modelId()));
            v.put("client", r.client());
            v.put("maxFee", r.maxFee());
            v.put("deadline", r.deadline());
            if (r.status().compareTo(EthMarket.Status.LOCKED) >= 0 && !r.prover().equals("0x0000000000000000000000000000000000000000")) {
                v.put("prover", r.prover());
                v.put("price", r.price());
                v.put("collateral", r.collateral());
            }
            if (r.status() == EthMarket.Status.PROOF_DUE) {
                v.put("proofDueBy", r.respondBy());
                v.put("challenger", r.challenger());
            }
            v.put("outputHash", Numeric.toHexString(r.outputHash()));
            v.forEach((k, val) -> console.line("%-10s %s", k, val));
            return v;
        }

        @Override public Optional<Posted> result(long id) {
            EthMarket.RequestView r = market().request(id);
            if (r.status() == EthMarket.Status.NONE) {
                throw new CliException(ExitCodes.USAGE, "no request " + id);
            }
            return market().output(id).map(o -> new Posted(r.status().name(), r.status() == EthMarket.Status.SETTLED, o))
                    .filter(p -> r.status() != EthMarket.Status.OPEN && r.status() != EthMarket.Status.LOCKED || p.settled());
        }

        @Override public Object account(String account, Console console) {
            String address = ownerAddress(account);
            BigInteger balance = market().balanceOf(address);
            EthMarket.ProverView p = market().prover(address);
            console.line("account    %s", address);
            console.line("balance    %s (in the market; %s tokens in the wallet)", balance, chain.token().balanceOf(address));
            if (p.registered()) {
                console.line("prover     stake %s, collateral %s, served %d, slashed %d", p.stake(), p.collateral(), p.served(), p.slashed());
            }
            return Map.of("account", address, "balance", balance, "prover", p);
        }

        @Override public AgentBackend agent() {
            return new ChainAgentBackend(chain);
        }
    }
}
