package dev.verinfer.eth;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint128;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint40;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.abi.datatypes.generated.Uint96;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Java side of the {@code VerinferMarket} contract: one method per transaction and per view,
 * encoded with web3j's ABI encoder. Every transaction is sent by the given {@link ChainAccount}
 * (simulated first: a refusal is a {@link ChainException} naming the contract's error) and returns
 * its {@link Receipt}, whose gas is what the step cost.
 */
public final class EthMarket {
    /** The most requests one submitBatchResult settles (the contract's MAX_BATCH). */
    public static final int MAX_BATCH = 64;

    public static final Artifact ARTIFACT = Artifact.load(EthMarket.class, "VerinferMarket");
    private static final Artifact BUFFER = Artifact.load(EthMarket.class, "ProofBuffer");

    /** The contract's request states, in its enum order. */
    public enum Status { NONE, OPEN, LOCKED, POSTED, PROOF_DUE, SETTLED, REFUNDED, CANCELLED }

    /** The contract's verification modes, in its enum order. */
    public enum Mode { ZK, OPTIMISTIC, SAMPLED }

    /** The contract's slashing causes, in its enum order. */
    public enum Cause { INVALID_PROOF, SILENT, NO_PROOF }

    private static final Map<String, List<String>> ENUMS = Map.of(
            "enum VerinferMarket.Status", Arrays.stream(Status.values()).map(Enum::name).toList(),
            "enum VerinferMarket.Mode", Arrays.stream(Mode.values()).map(Enum::name).toList());

    /**
     * The market's constitution: the embedded market's {@code MarketParams} with durations in
     * seconds and without its per-transaction fees (gas pays for transactions here). See the
     * contract's {@code Params} for each field.
     */
    public record Params(int floorBps, long rampSeconds, long lockSeconds, int collateralBps, int challengeBondBps, long responseSeconds,
                         int protocolFeeBps, int slashVictimBps, int challengeRewardBps, long revealSeconds, long minLockSeconds,
                         long maxDeadlineSeconds, long minWindowSeconds, BigInteger minProverStake) {
        /**
         * The embedded market's defaults ({@code MarketParams.defaults}) in seconds: floor 50 %, 10 s
         * ramp, 60 s locks, 20 % collateral, 10 % bond, 30 s to respond, 2 % fee, 50 % of a slash to
         * the client and 25 % to a challenger, 10 s to reveal, deadlines 1 s to 30 days ahead,
         * windows of at least 1 s, a stake of at least 100.
         */
        public static Params defaults() {
            return new Params(5_000, 10, 60, 2_000, 1_000, 30, 200, 5_000, 2_500, 10, 1, 30L * 24 * 3600, 1, BigInteger.valueOf(100));
        }
    }

    /** How a request is verified, as the contract's {@code Terms}. */
    public sealed interface Terms {
        Type<?> encode();

        record Zk() implements Terms {
            @Override public Type<?> encode() {
                return struct(Mode.ZK, 0, 0, new byte[32]);
            }
        }

        /** Settles {@code windowSeconds} after the result unless challenged. */
        record Optimistic(long windowSeconds) implements Terms {
            @Override public Type<?> encode() {
                return struct(Mode.OPTIMISTIC, windowSeconds, 0, new byte[32]);
            }
        }

        /**
         * Drawn with probability {@code sampleBps}/10000 by the client's secret, committed as
         * {@code commitment} ({@link SampleSecret#commitment}); a drawn result owes its proof within {@code windowSeconds}.
         */
        record Sampled(int sampleBps, long windowSeconds, byte[] commitment) implements Terms {
            public Sampled {
                commitment = commitment.clone();
            }

            @Override public Type<?> encode() {
                return struct(Mode.SAMPLED, windowSeconds, sampleBps, commitment);
            }
        }

        private static Type<?> struct(Mode mode, long window, int bps, byte[] commit) {
            return new StaticStruct(new Uint8(mode.ordinal()), new Uint32(window), new Uint16(bps), new Bytes32(commit));
        }
    }

    /** A registered model. */
    public record ModelView(String owner, BigInteger royalty, String verifier, boolean deprecated, byte[] vkHash) {
    }

    /** A prover: free stake, collateral held on locks, and its counters. */
    public record ProverView(boolean registered, BigInteger stake, BigInteger collateral, long served, long slashed) {
    }

    /** A request as the contract stores it (the {@code requests} getter's fields, in order). */
    public record RequestView(long id, String client, BigInteger maxFee, byte[] modelId, byte[] inputHash, byte[] outputHash, String prover,
                              BigInteger price, BigInteger collateral, long deadline, long openedAt, long lockExpiresAt, Status status, Mode mode,
                              int sampleBps, long window, long postedAt, long postedBlock, long respondBy, String challenger, BigInteger bond,
                              byte[] sampleCommit, byte[] sampleSeed) {
        /** The escrow this request holds: its max fee until it ends. */
        public BigInteger escrow() {
            return switch (status) {
                case OPEN, LOCKED, POSTED, PROOF_DUE -> maxFee;
                case NONE, SETTLED, REFUNDED, CANCELLED -> BigInteger.ZERO;
            };
        }
    }

    private final ChainAccount account;
    private final String address;

    public EthMarket(ChainAccount account, String address) {
        this.account = account;
        this.address = address;
    }

    /** Deploys a market paid in {@code token}, whose protocol fees and slash shares go to {@code treasury}; the receipt names its address. */
    public static Receipt deploy(ChainAccount account, String token, String treasury, Params p) {
        String args = FunctionEncoder.encodeConstructor(List.of(new Address(token), new Address(treasury), new StaticStruct(
                new Uint16(p.floorBps()), new Uint32(p.rampSeconds()), new Uint32(p.lockSeconds()), new Uint16(p.collateralBps()),
                new Uint16(p.challengeBondBps()), new Uint32(p.responseSeconds()), new Uint16(p.protocolFeeBps()), new Uint16(p.slashVictimBps()),
                new Uint16(p.challengeRewardBps()), new Uint32(p.revealSeconds()), new Uint32(p.minLockSeconds()), new Uint32(p.maxDeadlineSeconds()),
                new Uint32(p.minWindowSeconds()), new Uint128(p.minProverStake()))));
        return account.deploy(ARTIFACT.bytecode() + Numeric.cleanHexPrefix(args), EthMarket::describe);
    }

    public String address() {
        return address;
    }

    /** The account this object sends as. */
    public ChainAccount account() {
        return account;
    }

    /** The same market, acting as another account. */
    public EthMarket as(ChainAccount other) {
        return new EthMarket(other, address);
    }

    /** A revert of the market, or of its proof buffer's {@code load} (which a buffered submission calls). */
    static String describe(String revertData) {
        String own = ARTIFACT.describeRevert(revertData, ENUMS);
        return own.startsWith("reverted with unknown data") ? describeBuffer(revertData) : own;
    }

    private Receipt send(String function, Type<?>... args) {
        return account.send(address, FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(function, List.of(args), List.of())), EthMarket::describe);
    }

    private long estimate(String function, Type<?>... args) {
        return account.estimateGas(address, FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(function, List.of(args), List.of())), EthMarket::describe);
    }

    private Words view(String function, Type<?>... args) {
        return new Words(account.call(address, FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(function, List.of(args), List.of())), EthMarket::describe));
    }

    // ------------------------------------------------------------------ transactions

    /** Moves tokens (approved to this market) into the sender's balance here. */
    public Receipt deposit(BigInteger amount) {
        return send("deposit", new Uint256(amount));
    }

    public Receipt withdraw(BigInteger amount) {
        return send("withdraw", new Uint256(amount));
    }

    /** Registers a model whose proofs {@code verifier} checks; its id is {@link #modelIdOf}(sender, vkHash). */
    public Receipt registerModel(byte[] vkHash, String verifier, BigInteger royalty) {
        return send("registerModel", new Bytes32(vkHash), new Address(verifier), new Uint96(royalty));
    }

    public Receipt deprecateModel(byte[] modelId) {
        return send("deprecateModel", new Bytes32(modelId));
    }

    public Receipt registerProver(BigInteger stake) {
        return send("registerProver", new Uint128(stake));
    }

    public Receipt addStake(BigInteger amount) {
        return send("addStake", new Uint128(amount));
    }

    public Receipt withdrawStake(BigInteger amount) {
        return send("withdrawStake", new Uint128(amount));
    }

    /** Escrows {@code maxFee}; the new request's id is {@link #requestId}(receipt). */
    public Receipt submitRequest(byte[] modelId, byte[] input, BigInteger maxFee, long deadline, Terms terms) {
        return send("submitRequest", new Bytes32(modelId), new DynamicBytes(input), new Uint96(maxFee), new Uint40(deadline), terms.encode());
    }

    /** The id of the request a {@link #submitRequest} receipt created. */
    public long requestId(Receipt submitted) {
        String topic = ARTIFACT.topic("RequestSubmitted");
        return submitted.logs().stream().filter(l -> l.getAddress().equalsIgnoreCase(address) && l.getTopics().getFirst().equals(topic))
                .map(l -> Numeric.toBigInt(l.getTopics().get(1)).longValueExact()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("receipt " + submitted.txHash() + " holds no RequestSubmitted of market " + address));
    }

    /** The logs of {@code event} this market emitted in a receipt. */
    public List<Log> events(Receipt r, String event) {
        String topic = ARTIFACT.topic(event);
        return r.logs().stream().filter(l -> l.getAddress().equalsIgnoreCase(address) && l.getTopics().getFirst().equals(topic)).toList();
    }

    public Receipt cancel(long id) {
        return send("cancel", new Uint256(id));
    }

    public Receipt lock(long id) {
        return send("lock", new Uint256(id));
    }

    /** A ZK result: output, the request's input and the proof (for a verifier session: the proof's hash, {@link VerifierSession.Parts#proofHash}). */
    public Receipt submitZkResult(long id, byte[] output, byte[] input, byte[] proof) {
        return send("submitResult", new Uint256(id), new DynamicBytes(output), new DynamicBytes(input), new DynamicBytes(proof));
    }

    /** The gas {@link #submitZkResult} would take (eth_estimateGas; a refusal throws as the transaction would). */
    public long estimateZkResult(long id, byte[] output, byte[] input, byte[] proof) {
        return estimate("submitResult", new Uint256(id), new DynamicBytes(output), new DynamicBytes(input), new DynamicBytes(proof));
    }

    /** An OPTIMISTIC or SAMPLED result: the output alone. */
    public Receipt submitResult(long id, byte[] output) {
        return submitZkResult(id, output, new byte[0], new byte[0]);
    }

    /** A ZK result whose proof the sender uploaded with {@link #uploadProof}; {@code proofHash} is its keccak256. */
    public Receipt submitZkResultBuffered(long id, byte[] output, byte[] input, byte[] proofHash) {
        return send("submitResultBuffered", new Uint256(id), new DynamicBytes(output), new DynamicBytes(input), new Bytes32(proofHash));
    }

    /** One batch proof for {@code ids} (increasing), each with its input and output, in order. */
    public Receipt submitBatchResult(List<Long> ids, List<byte[]> inputs, List<byte[]> outputs, byte[] proof) {
        return send("submitBatchResult", idArray(ids), bytesArray(inputs), bytesArray(outputs), new DynamicBytes(proof));
    }

    /** {@link #submitBatchResult} with a proof uploaded with {@link #uploadProof}. */
    public Receipt submitBatchResultBuffered(List<Long> ids, List<byte[]> inputs, List<byte[]> outputs, byte[] proofHash) {
        return send("submitBatchResultBuffered", idArray(ids), bytesArray(inputs), bytesArray(outputs), new Bytes32(proofHash));
    }

    private static DynamicArray<Uint256> idArray(List<Long> ids) {
        return new DynamicArray<>(Uint256.class, ids.stream().map(Uint256::new).toList());
    }

    private static DynamicArray<DynamicBytes> bytesArray(List<byte[]> all) {
        return new DynamicArray<>(DynamicBytes.class, all.stream().map(DynamicBytes::new).toList());
    }

    /** The largest chunk {@link #uploadProof} sends in one transaction (the contract's {@code ProofBuffer.MAX_CHUNK}). */
    public static final int MAX_CHUNK = 24_575;

    /**
     * Uploads {@code proof} to the market's proof buffer in chunks of at most {@code chunkBytes}
     * ({@link #MAX_CHUNK} at most), one transaction each, keyed by its keccak256; chunks an
     * earlier upload of the same proof already stored (same chunking) are not sent again.
     * Returns the receipts of the chunks sent; the proof is then named by {@link #proofHash}.
     */
    public List<Receipt> uploadProof(byte[] proof, int chunkBytes) {
        if (chunkBytes < 1 || chunkBytes > MAX_CHUNK) {
            throw new IllegalArgumentException("a chunk holds 1.." + MAX_CHUNK + " bytes, not " + chunkBytes);
        }
        String buffer = proofBuffer();
        byte[] hash = proofHash(proof);
        long stored = new Words(account.call(buffer, FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("chunkCount",
                List.of(new Address(account.address()), new Bytes32(hash)), List.of())), EthMarket::describeBuffer)).uint(0).longValueExact();
        List<Receipt> sent = new java.util.ArrayList<>();
        for (int index = 0, from = 0; from < proof.length; index++, from += chunkBytes) {
            if (index < stored) {
                continue;
            }
            byte[] chunk = Arrays.copyOfRange(proof, from, Math.min(proof.length, from + chunkBytes));
            sent.add(account.send(buffer, FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("store",
                    List.of(new Bytes32(hash), new Uint256(index), new DynamicBytes(chunk)), List.of())), EthMarket::describeBuffer));
        }
        return sent;
    }

    /** The key of a proof in the proof buffer: its keccak256. */
    public static byte[] proofHash(byte[] proof) {
        return org.web3j.crypto.Hash.sha3(proof);
    }

    /** The address of the market's proof buffer (deployed with it). */
    public String proofBuffer() {
        return view("proofBuffer").address(0);
    }

    static String describeBuffer(String revertData) {
        return BUFFER.describeRevert(revertData, Map.of());
    }

    public Receipt challenge(long id) {
        return send("challenge", new Uint256(id));
    }

    public Receipt revealSample(long id, byte[] secret) {
        return send("revealSample", new Uint256(id), new Bytes32(secret));
    }

    public Receipt submitProof(long id, byte[] input, byte[] output, byte[] proof) {
        return send("submitProof", new Uint256(id), new DynamicBytes(input), new DynamicBytes(output), new DynamicBytes(proof));
    }

    /** The gas {@link #submitProof} would take (eth_estimateGas; a refusal throws as the transaction would). */
    public long estimateProof(long id, byte[] input, byte[] output, byte[] proof) {
        return estimate("submitProof", new Uint256(id), new DynamicBytes(input), new DynamicBytes(output), new DynamicBytes(proof));
    }

    /** {@link #submitProof} with a proof uploaded with {@link #uploadProof}. */
    public Receipt submitProofBuffered(long id, byte[] input, byte[] output, byte[] proofHash) {
        return send("submitProofBuffered", new Uint256(id), new DynamicBytes(input), new DynamicBytes(output), new Bytes32(proofHash));
    }

    /** Makes the timer transition due on request {@code id} (refund, slash, settle); refused ({@code NothingDue}) if none is. */
    public Receipt advance(long id) {
        return send("advance", new Uint256(id));
    }

    /** Whether {@code prover} was slashed on request {@code id} (and so may not lock it again). */
    public boolean slashedOn(long id, String prover) {
        return view("slashedOn", new Uint256(id), new Address(prover)).uint(0).signum() != 0;
    }

    // ------------------------------------------------------------------ views

    public byte[] modelIdOf(String owner, byte[] vkHash) {
        return view("modelIdOf", new Address(owner), new Bytes32(vkHash)).bytes32(0);
    }

    public ModelView model(byte[] modelId) {
        Words w = view("models", new Bytes32(modelId));
        return new ModelView(w.address(0), w.uint(1), w.address(2), w.uint(3).signum() != 0, w.bytes32(4));
    }

    public ProverView prover(String account) {
        Words w = view("provers", new Address(account));
        return new ProverView(w.uint(0).signum() != 0, w.uint(1), w.uint(2), w.uint(3).longValueExact(), w.uint(4).longValueExact());
    }

    public RequestView request(long id) {
        Words w = view("requests", new Uint256(id));
        return new RequestView(id, w.address(0), w.uint(1), w.bytes32(2), w.bytes32(3), w.bytes32(4), w.address(5), w.uint(6), w.uint(7),
                w.uint(8).longValueExact(), w.uint(9).longValueExact(), w.uint(10).longValueExact(), Status.values()[w.uint(11).intValueExact()],
                Mode.values()[w.uint(12).intValueExact()], w.uint(13).intValueExact(), w.uint(14).longValueExact(), w.uint(15).longValueExact(),
                w.uint(16).longValueExact(), w.uint(17).longValueExact(), w.address(18), w.uint(19), w.bytes32(20), w.bytes32(21));
    }

    /** The market's constitution, read from the contract's immutables. */
    public Params params() {
        return new Params(uint16("floorBps"), uint("rampSeconds"), uint("lockSeconds"), uint16("collateralBps"), uint16("challengeBondBps"),
                uint("responseSeconds"), uint16("protocolFeeBps"), uint16("slashVictimBps"), uint16("challengeRewardBps"), uint("revealSeconds"),
                uint("minLockSeconds"), uint("maxDeadlineSeconds"), uint("minWindowSeconds"), view("minProverStake").uint(0));
    }

    private long uint(String getter) {
        return view(getter).uint(0).longValueExact();
    }

    private int uint16(String getter) {
        return view(getter).uint(0).intValueExact();
    }

    /**
     * The proof context of request {@code id} locked by {@code prover}, as {@code _statement} computes
     * it: keccak256(abi.encode(chain id, market, id, prover)). A proof for this market is bound to it.
     */
    public byte[] proofContext(long id, String prover) {
        String encoded = org.web3j.abi.TypeEncoder.encode(new Uint256(account.chainId())) + org.web3j.abi.TypeEncoder.encode(new Address(address))
                + org.web3j.abi.TypeEncoder.encode(new Uint256(id)) + org.web3j.abi.TypeEncoder.encode(new Address(prover));
        return org.web3j.crypto.Hash.sha3(Numeric.hexStringToByteArray(encoded));
    }

    /**
     * The context of one batch proof of {@code ids} (in the listed order) by {@code prover}, as
     * {@code batchContextOf} computes it: keccak256(abi.encode(chain id, market, ids, prover)).
     */
    public byte[] batchProofContext(List<Long> ids, String prover) {
        String encoded = FunctionEncoder.encodeConstructor(List.of(new Uint256(account.chainId()), new Address(address), idArray(ids), new Address(prover)));
        return org.web3j.crypto.Hash.sha3(Numeric.hexStringToByteArray(encoded));
    }

    /** The input of request {@code id}, from its {@code RequestSubmitted} event (the contract keeps only its hash). */
    public byte[] input(long id) {
        List<Log> logs = logs("RequestSubmitted", id);
        if (logs.isEmpty()) {
            throw new ChainException("", "market " + address + " has no request " + id);
        }
        return new Words(logs.getFirst().getData()).dynamicBytes(6);
    }

    /** The output last posted for request {@code id} (its {@code ResultPosted} event), or empty if none was. */
    public java.util.Optional<byte[]> output(long id) {
        List<Log> logs = logs("ResultPosted", id);
        return logs.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new Words(logs.getLast().getData()).dynamicBytes(1));
    }

    /** A {@code Slashed} event: who lost what on which request, and why. */
    public record SlashView(long requestId, String prover, Cause cause, BigInteger collateral, BigInteger toClient, String challenger, BigInteger toChallenger) {
    }

    /** Every slash of this market so far, oldest first. */
    public List<SlashView> slashes() {
        return logs("Slashed", null).stream().map(l -> {
            Words w = new Words(l.getData());
            return new SlashView(Numeric.toBigInt(l.getTopics().get(1)).longValueExact(), "0x" + l.getTopics().get(2).substring(26),
                    Cause.values()[w.uint(0).intValueExact()], w.uint(1), w.uint(2), w.address(3), w.uint(4));
        }).toList();
    }

    /** The ids of the models registered with verifying-key hash {@code vkHash} (one per owner), oldest first. */
    public List<byte[]> listings(byte[] vkHash) {
        return logs("ModelRegistered", null).stream().filter(l -> Arrays.equals(new Words(l.getData()).bytes32(0), vkHash))
                .map(l -> Numeric.hexStringToByteArray(l.getTopics().get(1))).toList();
    }

    /** This market's logs of {@code event} about request {@code id} (its first indexed topic; any when null), oldest first. */
    private List<Log> logs(String event, Long id) {
        var filter = new org.web3j.protocol.core.methods.request.EthFilter(org.web3j.protocol.core.DefaultBlockParameterName.EARLIEST,
                org.web3j.protocol.core.DefaultBlockParameterName.LATEST, address).addSingleTopic(ARTIFACT.topic(event));
        if (id != null) {
            filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(id), 64));
        }
        var r = ChainAccount.rpc(() -> account.web3j().ethGetLogs(filter).send(), "eth_getLogs");
        if (r.hasError()) {
            throw new ChainException("", "the node refused eth_getLogs: " + r.getError().getMessage());
        }
        return r.getLogs().stream().map(l -> (Log) l.get()).toList();
    }

    public BigInteger balanceOf(String account) {
        return view("balanceOf", new Address(account)).uint(0);
    }

    public BigInteger priceOf(long id) {
        return view("priceOf", new Uint256(id)).uint(0);
    }

    public BigInteger collateralOf(long id) {
        return view("collateralOf", new Uint256(id)).uint(0);
    }

    public long nextRequestId() {
        return view("nextRequestId").uint(0).longValueExact();
    }

    public BigInteger deposited() {
        return view("deposited").uint(0);
    }

    public BigInteger withdrawn() {
        return view("withdrawn").uint(0);
    }

    public String token() {
        return view("token").address(0);
    }

    public String treasury() {
        return view("treasury").address(0);
    }

    /** The bytes the model's verifier receives as the statement of request {@code id} with this input and output (the proof context names the current lock holder). */
    public byte[] statementOf(long id, byte[] input, byte[] output) {
        return view("statementOf", new Uint256(id), new DynamicBytes(input), new DynamicBytes(output)).dynamicBytes(0);
    }

    /** A call's return data as 32-byte words. */
    static final class Words {
        private final byte[] data;

        Words(String hex) {
            this.data = Numeric.hexStringToByteArray(hex);
        }

        byte[] bytes32(int i) {
            return Arrays.copyOfRange(data, 32 * i, 32 * i + 32);
        }

        BigInteger uint(int i) {
            return new BigInteger(1, bytes32(i));
        }

        String address(int i) {
            return Numeric.toHexString(Arrays.copyOfRange(data, 32 * i + 12, 32 * i + 32));
        }

        /** A {@code bytes} return value whose head is word {@code i}. */
        byte[] dynamicBytes(int i) {
            int offset = uint(i).intValueExact();
            int length = new BigInteger(1, Arrays.copyOfRange(data, offset, offset + 32)).intValueExact();
            return Arrays.copyOfRange(data, offset + 32, offset + 32 + length);
        }
    }
}
