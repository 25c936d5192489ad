package dev.verinfer.node;

import dev.verinfer.client.AgentBackend;
import dev.verinfer.client.RemoteAgent;
import dev.verinfer.eth.VerifierSession;
import dev.verinfer.market.BatchingProver;
import dev.verinfer.market.DirectoryTensorStore;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.WeightRotations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Command(name = "prover", mixinStandardHelpOptions = true, header = "Serve requests as a prover on a market (a node, or a contract on a chain) until SIGTERM.",
        description = {"After each block: lock open requests of the models in --models once the auction price reaches the ask, post the output (with the proof in ZK mode), and prove when challenged or sampled.",
                "ZK requests of one model are proven together in one batch proof (one SubmitBatchResult) once --max-batch are held, the oldest has waited --max-wait-ms,",
                "or no new one came in the last block. By default a batch holds up to 256 (64 on a chain) and is queued at once while a proof runs (it takes what came in meanwhile);",
                "with none running it waits while the batch grows, at most a proof's fixed cost fitted to its measured proofs. --max-batch 1 proves each alone.",
                "The account must be a registered prover ('market register-prover'). One line per transaction on stderr.",
                "On a chain (--chain/--contract/--deployment) it also calls advance(id) on its models' requests when a transition is due (the node's timers),",
                "settles batches with the contract's submitBatchResult, and with --chunk-proofs-above uploads longer proofs in chunks first (the contract has no workflows yet).",
                "A model verified by a verifier session (ZkmlVerifierSession) has each proof verified inside the market's submitResult (or submitProof)"
                        + " when that transaction fits --max-tx-gas, else in one session transaction, else in four."})
final class MarketProverCommand extends BaseCommand {
    @Mixin
    MarketTarget market;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The prover's key file (a node: Ed25519; a chain: secp256k1).")
    Path key;

    @Option(names = "--models", required = true, paramLabel = "DIR", description = "A model directory ('verinfer compile'), or a directory of them.")
    Path models;

    @Option(names = {"--ask-bps", "--price-policy"}, defaultValue = "5000", paramLabel = "BPS",
            description = "Price policy: lock once the auction price reaches this fraction of the max fee, in basis points (default: 5000, the default floor).")
    int askBps;

    @Option(names = "--max-batch", defaultValue = "0", paramLabel = "N",
            description = "The most ZK requests one batch proof holds, 1..256 (a chain's contract: at most 64); 1 proves each request alone (default: the market's bound).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "-1", paramLabel = "MS",
            description = "The longest a locked ZK request waits for its batch to fill (default: derived from its measured proofs, see above).")
    long maxWaitMillis;

    @Option(names = "--chunk-proofs-above", paramLabel = "BYTES",
            description = "On a chain: upload a proof longer than this to the market's proof buffer in chunks of 24,575 bytes, one transaction each,"
                    + " then name it by hash (for a chain whose transaction pool takes at most 128 KB: e.g. 100000). Default: every proof in its transaction."
                    + " A model verified by a verifier session takes no upload: each session transaction carries its part of the proof.")
    Integer chunkProofsAbove;

    @Option(names = "--max-tx-gas", paramLabel = "GAS",
            description = "On a chain: the most gas one transaction may take (default: 16777216, Ethereum's cap since Osaka, EIP-7825). A model verified by a"
                    + " verifier session has its proof verified inside the market's own transaction when the estimate fits, else in one session"
                    + " transaction, else in the session's four.")
    Long maxTxGas;

    @Option(names = "--tensors", paramLabel = "DIR",
            description = "A tensor store shared with clients and other provers: serve workflow steps and committed requests too, taking their inputs from it"
                    + " (checked against their roots) and putting committed outputs in it.")
    Path tensors;

    @Option(names = "--rotate-when-spent", description = {"A node only, the signer owning the models' listings: a private model (zero knowledge, compile's default) whose weight opening count is",
            "spent is rotated as 'verinfer rotate -m DIR' does, its link sent to the market before the next proof ('market rotate'), and served on under the",
            "new commitment; at start the links the listings lack are posted. Without it such a model's requests are not locked, and the prover says how to rotate."})
    boolean rotateWhenSpent;

    @Override int run(Console console) {
        if (askBps < 0 || askBps > 10_000) throw new CliException(ExitCodes.USAGE, "--ask-bps must lie in 0..10000, not " + askBps);
        if (maxWaitMillis < -1) throw new CliException(ExitCodes.USAGE, "--max-wait-ms must be 0 or more, not " + maxWaitMillis);
        BatchingProver.Policy policy;
        try {
            policy = new BatchingProver.Policy(maxBatch, maxWaitMillis);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--max-batch: " + e.getMessage());
        }
        List<ModelDir> dirs = ModelKeys.dirs(models);
        List<ProvingKey> keys = dirs.stream().map(ModelDir::provingKey).toList();
        if (chunkProofsAbove != null && chunkProofsAbove < 0) throw new CliException(ExitCodes.USAGE, "--chunk-proofs-above must be 0 or more, not " + chunkProofsAbove);
        MarketBackend target = MarketChainCommands.onChain(() -> market.as(key));
        if (chunkProofsAbove != null && !(target instanceof MarketBackend.OnChain)) {
            throw new CliException(ExitCodes.USAGE, "--chunk-proofs-above is for a chain: a node takes proofs in its transactions");
        }
        if (maxTxGas != null && maxTxGas < 21_000) throw new CliException(ExitCodes.USAGE, "--max-tx-gas must be 21000 or more, not " + maxTxGas);
        if (maxTxGas != null && !(target instanceof MarketBackend.OnChain)) {
            throw new CliException(ExitCodes.USAGE, "--max-tx-gas is for a chain: a node has no gas");
        }
        AgentBackend backend = target instanceof MarketBackend.OnChain c && (chunkProofsAbove != null || maxTxGas != null)
                ? new ChainAgentBackend(c.chain(), chunkProofsAbove == null ? Integer.MAX_VALUE : chunkProofsAbove,
                        maxTxGas == null ? VerifierSession.TX_GAS_CAP : maxTxGas)
                : target.agent();
        SessionInference.Renewal renewal = null;
        if (rotateWhenSpent) {
            if (!(target instanceof MarketBackend.OnNode node)) {
                throw new CliException(ExitCodes.USAGE, "--rotate-when-spent is for the embedded market (--node): the market contract has no weight rotations");
            }
            Map<String, ModelDir> byId = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).verifyingKey().zeroKnowledge()) {
                    var vk = keys.get(i).verifyingKey();
                    byId.put(vk.modelIdHex(), dirs.get(i));
                    node.rotate(vk, ModelDir.rotations(dirs.get(i).dir().resolve(ModelDir.VERIFYING_KEY), vk), console); // the links the listing lacks
                }
            }
            renewal = spent -> rotateAndSend(byId.get(spent.verifyingKey().modelIdHex()), spent, backend.account());
        }
        SessionInference inference = new SessionInference(keys, target instanceof MarketBackend.OnChain, reason -> System.err.println("prover: not serving " + reason), renewal);
        Set<String> ids = inference.served();
        console.line("prover %s on %s serving %s", backend.account().id(), backend.where(), ids);
        RemoteAgent.Log log = RemoteAgent.Log.lines(line -> System.err.println("prover: " + line));
        if (target instanceof MarketBackend.OnChain && tensors != null) {
            throw new CliException(ExitCodes.USAGE, "--tensors (workflow steps) needs the embedded market: the contract has no workflows yet");
        }
        RemoteAgent agent = RemoteAgent.batchingProver(backend, inference, ids, askBps, policy,
                tensors == null ? null : new DirectoryTensorStore(tensors), log);
        AgentProcess.run(agent);
        return ExitCodes.OK;
    }

    /**
     * Rotates {@code spent}'s weight commitment in its directory (chain written, count moved on) and queues the link on the
     * prover's account ahead of anything it sends next (its locks, then its proofs under the new commitment): the key at the new epoch.
     */
    private static ProvingKey rotateAndSend(ModelDir dir, ProvingKey spent, dev.verinfer.market.TxSender account) {
        WeightRotations.Rotated r = dir.rotate(spent);
        int e = r.chain().epoch();
        String listing = dev.verinfer.market.Model.key(spent.verifyingKey().modelIdHex(), account.id());
        account.send(new dev.verinfer.market.Tx.RotateWeights(listing, r.chain().root(e - 1), r.chain().root(e), r.chain().linkProof(e - 1)));
        System.err.println("prover: rotated model " + spent.verifyingKey().modelIdHex() + "'s weight commitment to epoch " + e + " in " + dir.dir()
                + " (" + r.proofBytes() + " bytes, " + Math.round(r.millis()) + " ms); its link goes to the market before the next proof");
        return r.key();
    }
}
