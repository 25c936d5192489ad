package dev.verinfer.eth;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.StaticArray2;
import org.web3j.abi.datatypes.generated.StaticArray3;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Bindings of {@code ZkmlVerifierSession}, the on-chain verifier of verinfer proofs in one transaction
 * when the whole verification fits a transaction's gas cap, else across four (docs/ethereum.md, "The
 * verification session"): deploying it on the four stage
 * contracts, registering a key's parts, and running a proof's session (knowing only the model's vkHash: the key's parts are on chain) — each stage simulated first
 * (eth_call returns the hand-over the next stage takes back), then sent, carrying its own part of the proof
 * ({@link #split}); a stage over the cap in parts, each planned by eth_estimateGas to fit it (stage 1's tables,
 * {@link #lookupsInParts}; stage 2's layer program cut between instructions, {@link #layersInParts}). A refusal is a
 * {@link ChainException} naming the session's error, or {@code Rejected}/{@code Malformed} from a stage.
 */
public final class VerifierSession {
    public static final Artifact ARTIFACT = Artifact.load(VerifierSession.class, "ZkmlVerifierSession");
    /** The stage contracts, in the session constructor's order (the last, stage 1's table checks when stage 1 runs in parts). */
    public static final List<String> STAGES = List.of("ZkmlLookupStage", "ZkmlLayerStage", "ZkmlOpeningStage", "ZkmlFinalStage", "ZkmlTableStage");
    /** Ethereum's cap on a transaction's gas (EIP-7825, Osaka): 2^24. */
    public static final long TX_GAS_CAP = 1L << 24;
    private static final String REJECTED = Hash.sha3String("Rejected(uint256)").substring(0, 10);
    private static final String MALFORMED = Hash.sha3String("Malformed(uint256)").substring(0, 10);

    private final ChainAccount account;
    private final String address;

    public VerifierSession(ChainAccount account, String address) {
        this.account = account;
        this.address = address;
    }

    /**
     * A key as the session takes it (the verifier's view of a verifying key): the model id, the flat
     * {@code cfg} of ZkmlLookupStage, the function tables' tree codes, the layer program and its register
     * count, the weight commitment's root and the opening's arities, the WHIR parameter set (its regime's
     * number: 0 proven-unique, 1 conjectured, 2 proven, 3 proven-evm, 4 conjectured-evm).
     */
    public record KeyParts(byte[] modelId, List<BigInteger> cfg, byte[] tables, byte[] program, long registers, byte[] weightRoot, int weightVars,
                           int witnessVars, int soundness) {
        /** The WHIR parameter sets, as the session numbers them. */
        public static final int PROVEN_UNIQUE = 0;
        public static final int CONJECTURED = 1;
        public static final int PROVEN = 2;
        public static final int PROVEN_EVM = 3;
        public static final int CONJECTURED_EVM = 4;
        private static final byte[] KEY_DOMAIN = Hash.sha3("verinfer-eth-session-key-v4".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        /** The vkHash registerKey stores this key under (ZkmlVerifierSession.keyHash of its parts' hashes), computed here. */
        public byte[] vkHash() {
            java.io.ByteArrayOutputStream enc = new java.io.ByteArrayOutputStream();
            for (byte[] w : List.of(KEY_DOMAIN, modelId, Hash.sha3(cfgBytes(this)), Hash.sha3(tables), Hash.sha3(program), word(registers), weightRoot,
                    word(weightVars), word(witnessVars), word(soundness))) {
                enc.writeBytes(w);
            }
            return Hash.sha3(enc.toByteArray());
        }

        private static byte[] word(long v) {
            return Numeric.toBytesPadded(BigInteger.valueOf(v), 32);
        }
    }

    /**
     * A proof cut where the session's stages stop reading it ({@link #split}): what stage 1 reads (the head, LogUp-GKR, the look-ups),
     * stage 2 (the layers) and stage 3 (the opening, the rest). Each stage's transaction carries its part as calldata.
     */
    public record Parts(byte[] lookups, byte[] layers, byte[] opening) {
        /** The session's name of the proof (ZkmlVerifierSession.proofHashOf): keccak256 of the parts' keccak256s. */
        public byte[] proofHash() {
            byte[] hashes = new byte[96];
            for (int i = 0; i < 3; i++) {
                System.arraycopy(Hash.sha3(List.of(lookups, layers, opening).get(i)), 0, hashes, 32 * i, 32);
            }
            return Hash.sha3(hashes);
        }

        /** The three parts' hashes, as every stage takes them. */
        StaticArray3<Bytes32> hashes() {
            return new StaticArray3<>(Bytes32.class, List.of(lookups, layers, opening).stream().map(p -> new Bytes32(Hash.sha3(p))).toList());
        }
    }

    /** A transaction of the session: its receipt and what it handed over (the next stage's input; registerKey: the vkHash). */
    public record Step(Receipt receipt, byte[] handover) {
    }

    /** Deploys the stage contracts; returns their addresses in order. */
    public static List<String> deployStages(ChainAccount account) {
        return STAGES.stream().map(stage -> account.deploy(Artifact.load(VerifierSession.class, stage).bytecode(), VerifierSession::describe).contractAddress()).toList();
    }

    /** Deploys a session on the stage contracts {@code stages} (in order); returns its receipt. */
    public static Receipt deploy(ChainAccount account, List<String> stages) {
        return account.deploy(ARTIFACT.bytecode() + FunctionEncoder.encodeConstructor(stages.stream().map(a -> (Type) new Address(a)).toList()),
                VerifierSession::describe);
    }

    /**
     * The session at {@code address}, if the contract there is one (it answers {@code lookupStage()}); empty
     * for another verifier (a model whose proofs that contract judges in one call).
     */
    public static java.util.Optional<VerifierSession> at(ChainAccount account, String address) {
        try {
            String out = account.call(address, FunctionEncoder.encode(new Function("lookupStage", List.of(), List.of())), VerifierSession::describe);
            return Numeric.hexStringToByteArray(out).length == 32 ? java.util.Optional.of(new VerifierSession(account, address)) : java.util.Optional.empty();
        } catch (ChainException e) {
            if (e.unreachable()) {
                throw e;
            }
            return java.util.Optional.empty();
        }
    }

    public String address() {
        return address;
    }

    public ChainAccount account() {
        return account;
    }

    /** The same contract, sending from {@code other}. */
    public VerifierSession as(ChainAccount other) {
        return new VerifierSession(other, address);
    }

    /** A revert's description: the session's custom error, or a stage's Rejected(code)/Malformed(pos). */
    public static String describe(String data) {
        if (data != null && (data.startsWith(REJECTED) || data.startsWith(MALFORMED)) && data.length() >= 74) {
            return (data.startsWith(REJECTED) ? "Rejected(code=" : "Malformed(pos=") + new BigInteger(data.substring(10, 74), 16) + ")";
        }
        return ARTIFACT.describeRevert(data, Map.of());
    }

    /** Registers {@code key} in one transaction (anyone may: its vkHash is the hash of its parts); the step's hand-over is the vkHash. */
    public Step registerKey(KeyParts key) {
        String data = registerKeyCall(key);
        byte[] vkHash = Numeric.hexStringToByteArray(account.call(address, data, VerifierSession::describe));
        return new Step(account.send(address, data, VerifierSession::describe), vkHash);
    }

    private static String registerKeyCall(KeyParts key) {
        return FunctionEncoder.encode(new Function("registerKey", List.of(new Bytes32(key.modelId()), new DynamicArray<>(Uint256.class, uints(key.cfg())),
                new DynamicBytes(key.tables()), new DynamicBytes(key.program()), new Uint64(key.registers()), new Bytes32(key.weightRoot()),
                new Uint32(key.weightVars()), new Uint32(key.witnessVars()), new Uint8(key.soundness())), List.of()));
    }

    /**
     * Registers {@code key} in transactions of at most {@code maxTxGas} gas each: in one ({@link #registerKey}) when its chunks fit one
     * transaction's {@link #partBudget}, else in parts — its chunks ({@link #chunks}) in transactions of at most that budget
     * ({@code storeChunks}; chunks the session holds already are skipped, so an interrupted registration resumes), then
     * {@code sealKey}, which binds them to the key and creates it. The last step's hand-over is the vkHash.
     */
    public List<Step> register(KeyParts key, long maxTxGas) {
        if (groups(chunks(key), partBudget(maxTxGas)).size() <= 1) {
            return List.of(registerKey(key));
        }
        List<Step> steps = new java.util.ArrayList<>(storeChunks(key, maxTxGas));
        steps.add(sealKey(key, maxTxGas));
        return steps;
    }

    /** Stores the key's chunks the session does not hold yet, in transactions of at most {@link #partBudget} gas ({@code storeChunks}). */
    public List<Step> storeChunks(KeyParts key, long maxTxGas) {
        List<byte[]> missing = chunks(key).stream().filter(c -> account.code(chunkAddress(address, c)).length == 0).toList();
        return groups(missing, partBudget(maxTxGas)).stream().map(group -> storeChunks(group, maxTxGas)).toList();
    }

    /** Stores {@code chunks} (each 1 to MAX_CHUNK bytes) in one transaction. */
    public Step storeChunks(List<byte[]> chunks, long maxTxGas) {
        String data = FunctionEncoder.encode(new Function("storeChunks", List.of(new DynamicArray<>(DynamicBytes.class,
                chunks.stream().map(DynamicBytes::new).toList())), List.of()));
        return new Step(account.send(address, data, VerifierSession::describe, maxTxGas), new byte[0]);
    }

    /** Seals the key whose chunks are stored ({@code sealKey} on its chunks in order); the step's hand-over is the vkHash. */
    public Step sealKey(KeyParts key, long maxTxGas) {
        List<String> at = chunks(key).stream().map(c -> chunkAddress(address, c)).toList();
        int cfg = chunks(cfgBytes(key)).size();
        return sealKey(key, at, cfg, cfg + chunks(key.tables()).size(), maxTxGas);
    }

    /** {@code sealKey} naming the chunks {@code at}: the cfg's are at[:cfgEnd], the tables' at[cfgEnd:tablesEnd], the program's the rest. */
    public Step sealKey(KeyParts key, List<String> at, int cfgEnd, int tablesEnd, long maxTxGas) {
        String seal = FunctionEncoder.encode(new Function("sealKey", List.of(new Bytes32(key.modelId()),
                new StaticArray3<>(Bytes32.class, Stream.of(cfgBytes(key), key.tables(), key.program()).map(b -> new Bytes32(Hash.sha3(b))).toList()),
                new DynamicArray<>(Address.class, at.stream().map(Address::new).toList()),
                new StaticArray2<>(Uint256.class, new Uint256(cfgEnd), new Uint256(tablesEnd)),
                new Uint64(key.registers()), new Bytes32(key.weightRoot()), new Uint32(key.weightVars()), new Uint32(key.witnessVars()), new Uint8(key.soundness())),
                List.of()));
        byte[] vkHash = Numeric.hexStringToByteArray(account.call(address, seal, VerifierSession::describe));
        return new Step(account.send(address, seal, VerifierSession::describe, maxTxGas), vkHash);
    }

    /** The largest chunk of a key part (ZkmlVerifierSession.MAX_CHUNK: the code-size limit less the leading STOP byte). */
    public static final int MAX_CHUNK = 24_575;

    /**
     * The gas a key registration's transaction plans for under a cap of {@code maxTxGas}: 13/16 of it (the estimate's
     * spread, and ChainAccount's head room over the estimate: ≤ 13.7 M under EIP-7825's 2^24, two whole chunks and a part).
     */
    static long partBudget(long maxTxGas) {
        return maxTxGas / 16 * 13;
    }

    /**
     * An upper bound on the gas of storing chunks of these lengths in one transaction (makeChunk's): the transaction, then per
     * chunk CREATE2 (32,000), the code deposit (200 a byte), its calldata (16 a byte), the creation code's copies, words and
     * hash, the chunk's record (22,100) and the ABI's offsets.
     */
    static long storeGas(List<byte[]> chunks) {
        return 21_000 + 60_000L * chunks.size() + chunks.stream().mapToLong(c -> 225L * c.length).sum();
    }

    /** The key's chunks: its cfg's, its tables', its program's, in order. */
    static List<byte[]> chunks(KeyParts key) {
        return Stream.of(cfgBytes(key), key.tables(), key.program()).flatMap(p -> chunks(p).stream()).toList();
    }

    /** The part's bytes, cut into chunks of at most MAX_CHUNK bytes (an empty part has none), as registerKey cuts them. */
    static List<byte[]> chunks(byte[] part) {
        List<byte[]> out = new java.util.ArrayList<>();
        for (int at = 0; at < part.length; at += MAX_CHUNK) {
            out.add(Arrays.copyOfRange(part, at, Math.min(part.length, at + MAX_CHUNK)));
        }
        return out;
    }

    /** Consecutive chunks in transactions of at most {@code budget} gas ({@link #storeGas}), in order. */
    static List<List<byte[]>> groups(List<byte[]> chunks, long budget) {
        List<List<byte[]>> out = new java.util.ArrayList<>();
        List<byte[]> group = new java.util.ArrayList<>();
        for (byte[] c : chunks) {
            List<byte[]> with = new java.util.ArrayList<>(group);
            with.add(c);
            if (!group.isEmpty() && storeGas(with) > budget) {
                out.add(group);
                with = new java.util.ArrayList<>(List.of(c));
            }
            group = with;
        }
        if (!group.isEmpty()) {
            out.add(group);
        }
        return out;
    }

    /** The address of the session's chunk holding {@code chunk} (CREATE2 by the session, salt 0, on makeChunk's creation code). */
    static String chunkAddress(String session, byte[] chunk) {
        byte[] pre = new byte[85];
        pre[0] = (byte) 0xff;
        System.arraycopy(Numeric.hexStringToByteArray(session), 0, pre, 1, 20);
        System.arraycopy(Hash.sha3(chunkCreation(chunk)), 0, pre, 53, 32);
        return Numeric.toHexString(Arrays.copyOfRange(Hash.sha3(pre), 12, 32));
    }

    /** makeChunk's creation code for {@code chunk}: 12 bytes that return the code after them, STOP ‖ chunk. */
    static byte[] chunkCreation(byte[] chunk) {
        byte[] init = new byte[13 + chunk.length];
        System.arraycopy(Numeric.hexStringToByteArray("610000" + "80600c6000396000f300"), 0, init, 0, 13);
        init[1] = (byte) ((chunk.length + 1) >>> 8);
        init[2] = (byte) (chunk.length + 1);
        System.arraycopy(chunk, 0, init, 13, chunk.length);
        return init;
    }

    static byte[] cfgBytes(KeyParts key) {
        java.io.ByteArrayOutputStream words = new java.io.ByteArrayOutputStream();
        key.cfg().forEach(w -> words.writeBytes(Numeric.toBytesPadded(w, 32)));
        return words.toByteArray();
    }

    /** {@code proof} cut where the session's stages 1 and 2 stop reading it under key {@code vkHash} (ZkmlVerifierSession.split, by eth_call). */
    public Parts split(byte[] vkHash, byte[] proof) {
        String out = account.call(address, FunctionEncoder.encode(new Function("split", List.of(new Bytes32(vkHash), new DynamicBytes(proof)), List.of())),
                VerifierSession::describe);
        List<Type> ends = FunctionReturnDecoder.decode(out, outputs(new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {}));
        int lookupsEnd = ((Uint256) ends.get(0)).getValue().intValueExact();
        int layersEnd = ((Uint256) ends.get(1)).getValue().intValueExact();
        return new Parts(Arrays.copyOf(proof, lookupsEnd), Arrays.copyOfRange(proof, lookupsEnd, layersEnd), Arrays.copyOfRange(proof, layersEnd, proof.length));
    }

    /** Stage 1's call, with part 1: the head, LogUp-GKR, the look-up checks, then the statement checked against the proof. */
    public static String lookupsCall(byte[] vkHash, byte[] statement, Parts proof) {
        return FunctionEncoder.encode(new Function("runLookups", List.of(new Bytes32(vkHash), new DynamicBytes(statement), proof.hashes(),
                new DynamicBytes(proof.lookups())), List.of()));
    }

    /**
     * Stage 1 in parts, the first ({@code runLookupsUpTo}): as {@link #lookupsCall}, with the claims of the key's tables [0, to) only
     * checked and the statement named by its hash only; the session then waits for {@link #tablesCall}s up to the last table
     * and {@link #statementCall}.
     */
    public static String lookupsUpToCall(byte[] vkHash, byte[] statement, Parts proof, int to) {
        return FunctionEncoder.encode(new Function("runLookupsUpTo", List.of(new Bytes32(vkHash), new Bytes32(Hash.sha3(statement)), proof.hashes(),
                new DynamicBytes(proof.lookups()), new Uint256(to)), List.of()));
    }

    /** Stage 1 in parts, the next ({@code runTables}): the claims of the key's tables [from, to) on stage 1's hand-over; no part is read. */
    public static String tablesCall(byte[] vkHash, byte[] statement, byte[] proofHash, byte[] handover, int from, int to) {
        return FunctionEncoder.encode(new Function("runTables", List.of(new Bytes32(vkHash), new Bytes32(Hash.sha3(statement)), new Bytes32(proofHash),
                new DynamicBytes(handover), new Uint256(from), new Uint256(to)), List.of()));
    }

    /** Stage 1 in parts, the last ({@code runStatement}): once every table is checked, the proof's statement against {@code statement}. */
    public static String statementCall(byte[] vkHash, byte[] statement, byte[] proofHash, byte[] handover) {
        return FunctionEncoder.encode(new Function("runStatement", List.of(new Bytes32(vkHash), new DynamicBytes(statement), new Bytes32(proofHash),
                new DynamicBytes(handover)), List.of()));
    }

    /** The key's table count ({@code tableCount}), by which stage 1's parts are planned. */
    public int tableCount(byte[] vkHash) {
        String out = account.call(address, FunctionEncoder.encode(new Function("tableCount", List.of(new Bytes32(vkHash)), List.of())), VerifierSession::describe);
        return ((Uint256) FunctionReturnDecoder.decode(out, outputs(new TypeReference<Uint256>() {})).getFirst()).getValue().intValueExact();
    }

    /** Stage 2's call, with part 2: the key's layer program on stage 1's hand-over. */
    public static String layersCall(byte[] vkHash, byte[] statementHash, Parts proof, byte[] handover) {
        return stageCall("runLayers", vkHash, statementHash, proof, handover, proof.layers());
    }

    /**
     * Stage 2 in parts, the first ({@code runLayersUpTo}): the layer program's instructions from its start up to the first starting at or
     * past program offset {@code to}, on stage 1's hand-over and with part 2; the next go on by {@link #layersFromCall}.
     */
    public static String layersUpToCall(byte[] vkHash, byte[] statementHash, Parts proof, byte[] handover, long to) {
        return FunctionEncoder.encode(new Function("runLayersUpTo", List.of(new Bytes32(vkHash), new Bytes32(statementHash), proof.hashes(),
                new DynamicBytes(handover), new DynamicBytes(proof.layers()), new Uint256(to)), List.of()));
    }

    /**
     * Stage 2 in parts, the next ({@code runLayersFrom}): the instructions from program offset {@code from}, where the previous part stopped
     * ({@link #layersAt}), up to the first starting at or past {@code to}, on the previous part's hand-over and with part 2.
     */
    public static String layersFromCall(byte[] vkHash, byte[] statementHash, Parts proof, byte[] handover, long from, long to) {
        return FunctionEncoder.encode(new Function("runLayersFrom", List.of(new Bytes32(vkHash), new Bytes32(statementHash), proof.hashes(),
                new DynamicBytes(handover), new DynamicBytes(proof.layers()), new Uint256(from), new Uint256(to)), List.of()));
    }

    /** The length in bytes of the key's layer program ({@code programLength}), by which stage 2's parts are planned. */
    public long programLength(byte[] vkHash) {
        return uintCall("programLength", new Bytes32(vkHash)).longValueExact();
    }

    /** Where the session's stage 2 in parts stopped ({@code layersAt}): a program offset, 0 before its first part, 2^256 − 1 after its last. */
    public BigInteger layersAt(byte[] vkHash, byte[] statementHash, byte[] proofHash) {
        return uintCall("layersAt", new Bytes32(sessionOf(vkHash, statementHash, proofHash)));
    }

    /** ZkmlVerifierSession.sessionOf: keccak256(abi.encode(vkHash, statementHash, proofHash)). */
    public static byte[] sessionOf(byte[] vkHash, byte[] statementHash, byte[] proofHash) {
        byte[] words = new byte[96];
        System.arraycopy(vkHash, 0, words, 0, 32);
        System.arraycopy(statementHash, 0, words, 32, 32);
        System.arraycopy(proofHash, 0, words, 64, 32);
        return Hash.sha3(words);
    }

    private BigInteger uintCall(String name, Type argument) {
        String out = account.call(address, FunctionEncoder.encode(new Function(name, List.of(argument), List.of())), VerifierSession::describe);
        return ((Uint256) FunctionReturnDecoder.decode(out, outputs(new TypeReference<Uint256>() {})).getFirst()).getValue();
    }

    /** Stage 3's call, with part 3: the opening on stage 2's hand-over, up to its final polynomial's checks. */
    public static String openingCall(byte[] vkHash, byte[] statementHash, Parts proof, byte[] handover) {
        return stageCall("runOpening", vkHash, statementHash, proof, handover, proof.opening());
    }

    /**
     * Stage 4's call, the last: the final polynomial's checks (the last round's folded values, the sum σ) on stage 3's hand-over (no part
     * of the proof: stage 3 handed over what the checks need); it records the verdict.
     */
    public static String finalCall(byte[] vkHash, byte[] statementHash, byte[] proofHash, byte[] handover) {
        return FunctionEncoder.encode(new Function("runFinal", List.of(new Bytes32(vkHash), new Bytes32(statementHash), new Bytes32(proofHash),
                new DynamicBytes(handover)), List.of()));
    }

    /** Stage 2's ({@code runLayers}) or 3's ({@code runOpening}) call carrying {@code part}, whatever the parts' hashes name. */
    static String stageCall(String name, byte[] vkHash, byte[] statementHash, Parts proof, byte[] handover, byte[] part) {
        return FunctionEncoder.encode(new Function(name, List.of(new Bytes32(vkHash), new Bytes32(statementHash), proof.hashes(), new DynamicBytes(handover),
                new DynamicBytes(part)), List.of()));
    }

    /**
     * The whole proof in one transaction ({@code runWhole}): the four stages in order on its three parts, the
     * hand-overs in memory, the verdict recorded under the same session as {@link #runAll}'s.
     */
    public static String wholeCall(byte[] vkHash, byte[] statement, Parts proof) {
        return FunctionEncoder.encode(new Function("runWhole", List.of(new Bytes32(vkHash), new DynamicBytes(statement), new DynamicBytes(proof.lookups()),
                new DynamicBytes(proof.layers()), new DynamicBytes(proof.opening())), List.of()));
    }

    /** Simulates the stage call {@code data}, then sends it. */
    public Step run(String data) {
        return run(data, Long.MAX_VALUE);
    }

    /** The same with a gas limit of at most {@code maxTxGas} (refused, unsent, above it). */
    Step run(String data, long maxTxGas) {
        byte[] handover = handover(data);
        return new Step(account.send(address, data, VerifierSession::describe, maxTxGas), handover);
    }

    /**
     * Verifies (vkHash, statement, proof) on chain in as few transactions as fit {@code maxTxGas} gas each (a
     * chain's per-transaction cap; {@link #TX_GAS_CAP} on Ethereum): the whole proof in one transaction
     * ({@link #wholeCall}) when its estimated gas is at most the cap, else the session's four, stages 1 and 2 in parts when
     * they are over the cap ({@link #runAll}).
     * Afterwards {@link #verify} answers true for the proof's hash; a refusal throws and records nothing.
     */
    public List<Step> verifyOnChain(byte[] vkHash, byte[] statement, Parts proof, long maxTxGas) {
        String whole = wholeCall(vkHash, statement, proof);
        // a refusal throws (the four transactions would refuse the proof too); no estimate under the node's cap is over any
        long gas = estimate(whole);
        if (gas <= maxTxGas) {
            return List.of(new Step(account.send(address, whole, VerifierSession::describe, BigInteger.valueOf(gas), maxTxGas), new byte[0]));
        }
        return runAll(vkHash, statement, proof, maxTxGas);
    }

    /** The hand-over the stage call {@code data} would store the hash of (its simulation; empty for the last stage). */
    public byte[] handover(String data) {
        String out = account.call(address, data, VerifierSession::describe);
        if (Numeric.cleanHexPrefix(out).length() <= 64) {
            return new byte[0]; // runFinal returns the session only
        }
        return ((DynamicBytes) FunctionReturnDecoder.decode(out, outputs(new TypeReference<Bytes32>() {}, new TypeReference<DynamicBytes>() {})).get(1)).getValue();
    }

    /**
     * The whole session of (vkHash, statement, proof): the four transactions in order, each on the previous
     * one's hand-over; afterwards {@link #verify} answers true for the proof's hash (a refusal throws and records nothing).
     */
    public List<Step> runAll(byte[] vkHash, byte[] statement, Parts proof) {
        return runAll(vkHash, statement, proof, Long.MAX_VALUE);
    }

    /**
     * The same, each transaction's gas limit at most {@code maxTxGas} (one above it is refused, unsent). Stage 1 goes in parts
     * ({@link #lookupsInParts}) when its estimate is over {@code maxTxGas}, and so does stage 2 ({@link #layersInParts}); the steps
     * are then stage 1's parts (the first's hand-over being stage 1's), stage 2's (the last's hand-over being stage 2's), stages 3 and 4.
     */
    public List<Step> runAll(byte[] vkHash, byte[] statement, Parts proof, long maxTxGas) {
        return runAll(vkHash, statement, proof, maxTxGas, maxTxGas);
    }

    /**
     * The same with stages 1 and 2 planned under {@code planGas} (in parts when over it) and every transaction's gas limit at most
     * {@code maxTxGas} (a gas table's uncapped stages 3 and 4).
     */
    List<Step> runAll(byte[] vkHash, byte[] statement, Parts proof, long planGas, long maxTxGas) {
        byte[] statementHash = Hash.sha3(statement);
        List<Step> steps = new java.util.ArrayList<>(planGas == Long.MAX_VALUE || estimate(lookupsCall(vkHash, statement, proof)) <= planGas
                ? List.of(run(lookupsCall(vkHash, statement, proof), planGas)) : lookupsInParts(vkHash, statement, proof, planGas));
        steps.addAll(afterLookups(vkHash, statementHash, proof, steps.getFirst().handover(), planGas, maxTxGas));
        return steps;
    }

    /**
     * Stages 2 to 4 on stage 1's hand-over {@code handover}, each transaction's gas limit at most {@code maxTxGas}: stage 2 whole when its
     * estimate is at most {@code planGas}, else in parts ({@link #layersInParts}); the last three steps are stage 2's last and stages 3, 4.
     */
    List<Step> afterLookups(byte[] vkHash, byte[] statementHash, Parts proof, byte[] handover, long planGas, long maxTxGas) {
        String whole = layersCall(vkHash, statementHash, proof, handover);
        List<Step> steps = new java.util.ArrayList<>(planGas == Long.MAX_VALUE || estimate(whole) <= planGas
                ? List.of(run(whole, maxTxGas)) : layersInParts(vkHash, statementHash, proof, handover, planGas, maxTxGas));
        Step opening = run(openingCall(vkHash, statementHash, proof, steps.getLast().handover()), maxTxGas);
        steps.add(opening);
        steps.add(run(finalCall(vkHash, statementHash, proof.proofHash(), opening.handover()), maxTxGas));
        return steps;
    }

    /**
     * Stage 2 in as many transactions as fit 63/64 of {@code planGas} each (head room for the estimate's spread), cut between the
     * layer program's instructions: {@link #layersUpToCall}, then {@link #layersFromCall}s, each up to the program's end when that
     * fits, else up to the largest program offset whose estimate fits (bisection on the offset, to within 1/256 of what is left: a
     * part's gas grows with its instructions; the contract rounds an offset up to the next instruction's start), each from where the
     * session says the previous stopped, until stage 2 is done. The last step's hand-over is stage 2's. Refused unsent, with the
     * program offset named, when a part of one instruction does not fit.
     */
    public List<Step> layersInParts(byte[] vkHash, byte[] statementHash, Parts proof, byte[] handover, long planGas, long maxTxGas) {
        long n = programLength(vkHash);
        long budget = planGas - (planGas >>> 6);
        List<Step> steps = new java.util.ArrayList<>();
        byte[] h = handover;
        for (long from = 0; from < n; ) {
            long start = from;
            byte[] previous = h;
            java.util.function.LongFunction<String> call = to -> start == 0 ? layersUpToCall(vkHash, statementHash, proof, previous, to)
                    : layersFromCall(vkHash, statementHash, proof, previous, start, to);
            long lo = start + 1;
            long hi = n;
            long slack = Math.max(1, (n - start) >>> 8);
            if (estimate(call.apply(n)) <= budget) {
                lo = n;
            }
            while (lo < n && hi - lo >= slack) {
                long mid = lo + (hi - lo + 1) / 2;
                if (estimate(call.apply(mid)) <= budget) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            if (lo == start + 1 && estimate(call.apply(lo)) > budget) {
                throw new ChainException("", String.format("stage 2's instruction at layer program offset %,d alone needs more than %,d gas (63/64 of the cap of %,d"
                        + " a transaction)", start, budget, planGas));
            }
            Step part = run(call.apply(lo), maxTxGas);
            steps.add(part);
            h = part.handover();
            BigInteger at = layersAt(vkHash, statementHash, proof.proofHash());
            from = at.bitLength() > 63 ? n : at.longValueExact();
        }
        return steps;
    }

    /**
     * Stage 1 in as many transactions as fit {@code maxTxGas} each: {@link #lookupsUpToCall} with the most tables whose estimate fits,
     * then {@link #tablesCall}s each with the most of the rest that fit, then {@link #statementCall} (found by estimates, bisecting on the table count: a part's
     * gas grows with its tables). The first step's hand-over is stage 1's; a part that fits with no table is refused, unsent.
     */
    public List<Step> lookupsInParts(byte[] vkHash, byte[] statement, Parts proof, long maxTxGas) {
        int n = tableCount(vkHash);
        int to = most(0, n - 1, t -> lookupsUpToCall(vkHash, statement, proof, t), maxTxGas);
        Step first = run(lookupsUpToCall(vkHash, statement, proof, to), maxTxGas);
        List<Step> steps = new java.util.ArrayList<>(List.of(first));
        steps.addAll(tablesInParts(vkHash, statement, proof, first.handover(), to, n, maxTxGas));
        return steps;
    }

    /**
     * The checks of tables [from, n) on stage 1's hand-over, in as few {@link #tablesCall}s as fit {@code maxTxGas} each, then the statement
     * check ({@link #statementCall}); each step's hand-over is stage 1's.
     */
    List<Step> tablesInParts(byte[] vkHash, byte[] statement, Parts proof, byte[] handover, int from, int n, long maxTxGas) {
        List<Step> steps = new java.util.ArrayList<>();
        for (int to = from; to < n; ) {
            int start = to;
            to = most(start + 1, n, t -> tablesCall(vkHash, statement, proof.proofHash(), handover, start, t), maxTxGas);
            steps.add(new Step(account.send(address, tablesCall(vkHash, statement, proof.proofHash(), handover, start, to), VerifierSession::describe,
                    maxTxGas), handover));
        }
        steps.add(new Step(account.send(address, statementCall(vkHash, statement, proof.proofHash(), handover), VerifierSession::describe, maxTxGas), handover));
        return steps;
    }

    /** The largest t in [lo, hi] whose call's estimate is at most {@code maxTxGas} (bisection; lo when none does: sending it is then refused). */
    private int most(int lo, int hi, java.util.function.IntFunction<String> call, long maxTxGas) {
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (estimate(call.apply(mid)) <= maxTxGas) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The call's estimated gas; Long.MAX_VALUE when the node finds none under its own cap (a contract's refusal throws). */
    private long estimate(String data) {
        try {
            return account.estimateGas(address, data, VerifierSession::describe);
        } catch (ChainException e) {
            if (e.unreachable() || !e.error().isEmpty()) {
                throw e;
            }
            return Long.MAX_VALUE;
        }
    }

    /**
     * IProofVerifier.verify, as the market calls it: with the proof's {@link Parts#proofHash}, whether the session of
     * exactly these accepted; with {@link #inlineProof}, whether the parts verify (a stage's refusal throws).
     */
    public boolean verify(byte[] vkHash, byte[] statement, byte[] proof) {
        String out = account.call(address, verifyCall(vkHash, statement, proof), VerifierSession::describe);
        return ((Bool) FunctionReturnDecoder.decode(out, outputs(new TypeReference<Bool>() {})).getFirst()).getValue();
    }

    /** The call {@code verify(vkHash, statement, proof)}. */
    public static String verifyCall(byte[] vkHash, byte[] statement, byte[] proof) {
        return FunctionEncoder.encode(new Function("verify", List.of(new Bytes32(vkHash), new DynamicBytes(statement), new DynamicBytes(proof)), List.of()));
    }

    /**
     * The proof as the market passes it to {@code verify} when the session verifies it inside the market's own call
     * ({@code submitResult} or {@code submitProof}: one transaction, no session record): abi.encode(part 1, part 2, part 3).
     */
    public static byte[] inlineProof(Parts proof) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(List.<Type>of(new DynamicBytes(proof.lookups()), new DynamicBytes(proof.layers()),
                new DynamicBytes(proof.opening()))));
    }

    private static List<Uint256> uints(List<BigInteger> words) {
        return words.stream().map(Uint256::new).toList();
    }

    @SuppressWarnings("unchecked")
    static List<TypeReference<Type>> outputs(TypeReference<?>... refs) {
        return java.util.Arrays.stream(refs).map(r -> (TypeReference<Type>) r).toList();
    }
}
