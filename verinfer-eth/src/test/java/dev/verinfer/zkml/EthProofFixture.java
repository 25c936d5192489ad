package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.field.Ext2;
import dev.verinfer.logup.GroupClaim;
import dev.verinfer.logup.LogUpClaims;
import dev.verinfer.logup.LogUpProof;
import dev.verinfer.logup.LogUpRejectedException;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.logup.LogUpVerifier;
import dev.verinfer.logup.TableClaim;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Test fixture for the Solidity verifier (verinfer-eth): a real model's proof (alexa_v0.1's by default) and its key, what the
 * contract is given of that key, and the Java verifier's steps up to the end of the look-up phase's
 * LogUp-GKR argument (Verifier.check's order, with its own classes), so that a contract verifying that
 * much can be compared with Java verdict for verdict and claim for claim.
 */
public final class EthProofFixture {
    public final RealModels model;
    public final ProvingKey provingKey;
    public final VerifyingKey key;
    public final byte[] proof;
    private final Execution execution;
    private EvmLayerProgram.Compiled program;
    private dev.verinfer.eth.VerifierSession.KeyParts parts;

    private EthProofFixture(RealModels model, ProvingKey provingKey, Execution execution, byte[] proof) {
        this.model = model;
        this.provingKey = provingKey;
        this.key = provingKey.verifyingKey();
        this.execution = execution;
        this.proof = proof;
    }

    private record Made(RealModels model, PcsSecurity security) {}

    private static final java.util.Map<Made, EthProofFixture> MADE = new java.util.concurrent.ConcurrentHashMap<>();

    /** alexa_v0.1 on its seed-2 input (ProofPinTest's proof) under {@code security}; made once per test JVM (the test classes share it). */
    public static EthProofFixture alexa(PcsSecurity security) {
        return of(RealModels.ALEXA, security);
    }

    /**
     * A real model's proof under a plain key of {@code security}, on the bench's workload (Workload.of: calibrated on one
     * realistic input, proven on another); made once per test JVM and shared by the test classes.
     */
    public static EthProofFixture of(RealModels model, PcsSecurity security) {
        return MADE.computeIfAbsent(new Made(model, security), m -> fresh(m.model(), m.security()));
    }

    /** The calibration and the proven input of {@code model}, as the bench's Workload.of picks them. */
    static NamedInput[] workload(RealModels model) {
        return switch (model) {
            case ALEXA, HEY_MYCROFT -> new NamedInput[] {RealInputs.embeddings(1), RealInputs.embeddings(2)};
            case EMBEDDING -> new NamedInput[] {RealInputs.melWindow(1), RealInputs.melWindow(2)};
            case MELSPECTROGRAM -> new NamedInput[] {RealInputs.audio(1), RealInputs.audio(2)};
            case OCR_CLS -> new NamedInput[] {RealInputs.textLine("verinfer proves 42", false), RealInputs.textLine("Hello, world 2026", false)};
            case OCR_REC -> new NamedInput[] {RealInputs.recognitionLine("calibrate: ONNX Runtime float"), RealInputs.recognitionLine("Hello, world 2026")};
        };
    }

    /** The compiled model of {@code model}, calibrated on the workload's first input. */
    private static CompiledModel compiled(RealModels model) {
        NamedInput[] w = workload(model);
        return CompiledModel.compile(model.path(), w[0].shapes(), List.of(w[0].values()), QuantConfig.DEFAULT);
    }

    /** The verifying key of {@code model} under {@code security}, without a proof. */
    static VerifyingKey keyOf(RealModels model, PcsSecurity security) {
        return Setup.setup(compiled(model).quant(), security).verifyingKey();
    }

    /** As {@link #of}, made anew and not kept (a test that walks many models lets each go). */
    public static EthProofFixture fresh(RealModels model, PcsSecurity security) {
        NamedInput[] w = workload(model);
        CompiledModel m = compiled(model);
        ProvingKey pk = Setup.setup(m.quant(), security);
        try (IntegerExecutor executor = new IntegerExecutor()) {
            Execution ex = executor.run(m.quant(), w[1].values());
            return new EthProofFixture(model, pk, ex, Prover.prove(pk, ex).bytes());
        }
    }

    /** A proof of the same inference bound to {@code context} (a market's request and prover). */
    public byte[] proveBound(byte[] context) {
        return proveBound(execution, context);
    }

    /** The key's model run on another input (the key's calibration), for proofs of other inferences. */
    public Execution execute(NamedInput input) {
        try (IntegerExecutor executor = new IntegerExecutor()) {
            return executor.run(provingKey.graph(), input.values());
        }
    }

    /** A proof of {@code execution}'s inference ({@link #execute}) bound to {@code context}. */
    public byte[] proveBound(Execution execution, byte[] context) {
        return Prover.prove(provingKey, execution, context).bytes();
    }

    /**
     * A cheating prover's proof of the same inference whose look-up argument reads the key's first function table with its last
     * entry raised by one — an entry no look-up reads (the sigmoid window's top lies above its clamp bound), so the argument
     * balances and everything else is derived honestly: only the table's own check can refuse it (the verifier's evaluation of
     * the table, or, where the key commits the table with its weights, the weights' claim batching and opening).
     */
    public byte[] proveWithAnotherTable() {
        ProverTensors honest = new ProverTensors(provingKey.plan(), provingKey.graph(), execution);
        long[][] trace = new long[provingKey.graph().tensors().size()][];
        for (int t = 0; t < trace.length; t++) {
            trace[t] = honest.padded(t).clone();
        }
        int k = provingKey.plan().tables.indexOf(provingKey.plan().tables.stream().filter(t -> !t.isRange()).findFirst().orElseThrow());
        return Prover.prove(provingKey, trace, Visibility.PUBLIC, Visibility.PUBLIC, new ProverChannel.Tamper() {
            @Override
            public Ext2 message(int sequence, String label, Ext2 value) {
                return value;
            }

            @Override
            public void table(int table, long[] values) {
                if (table == k) {
                    values[values.length - 1] = dev.verinfer.field.Goldilocks.add(values[values.length - 1], 1);
                }
            }
        }).bytes();
    }

    /**
     * Where the messages labelled {@code label} sit in the proof: per element sent under that label, the offset of its 16 bytes.
     * Found by proving again with a prover that records its messages (the prover is deterministic: the proof must be the
     * fixture's, byte for byte), each element then searched for in the proof's bytes after the previous message's.
     */
    public List<Integer> messageOffsets(String label) {
        ProverTensors honest = new ProverTensors(provingKey.plan(), provingKey.graph(), execution);
        long[][] trace = new long[provingKey.graph().tensors().size()][];
        for (int t = 0; t < trace.length; t++) {
            trace[t] = honest.padded(t).clone();
        }
        List<String> labels = new java.util.ArrayList<>();
        List<Ext2> values = new java.util.ArrayList<>();
        byte[] again = Prover.prove(provingKey, trace, Visibility.PUBLIC, Visibility.PUBLIC, (sequence, l, value) -> {
            labels.add(l);
            values.add(value);
            return value;
        }).bytes();
        if (!Arrays.equals(again, proof)) {
            throw new IllegalStateException("the recording prover's proof is not the fixture's");
        }
        List<Integer> offsets = new java.util.ArrayList<>();
        int from = 0;
        for (int i = 0; i < values.size(); i++) {
            byte[] b = java.nio.ByteBuffer.allocate(16).putLong(values.get(i).c0()).putLong(values.get(i).c1()).array();
            int at = indexOf(proof, b, from);
            if (at < 0) {
                throw new IllegalStateException("message " + i + " (" + labels.get(i) + ") is not in the proof after offset " + from);
            }
            from = at + 16;
            if (labels.get(i).equals(label)) {
                offsets.add(at);
            }
        }
        return offsets;
    }

    private static int indexOf(byte[] in, byte[] what, int from) {
        outer:
        for (int i = from; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether the key commits its function tables with its weights (TableCommitment: proven-evm keys). */
    public boolean commitsTables() {
        return !key.tableCommitment().isEmpty();
    }

    /** Where the key commits its function tables: per table its description, rows and first slot in the weight polynomial. */
    public String committedTables() {
        return key.tableCommitment().entries().stream().map(e -> e.table().function() + " window of 2^" + e.vars() + " rows from input "
                + e.table().inMin() + " at weight slots " + (e.block() << e.vars()) + ".." + ((e.block() + 1 << e.vars()) - 1) + " of 2^" + key.weightVars())
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /** Java's reason for rejecting {@code bytes}, or "" when it accepts them. */
    public String rejection(byte[] bytes) {
        VerificationResult r = Verifier.verify(key, bytes);
        return r.valid() ? "" : r.reason();
    }

    /** The proven statement of {@code bytes} (which must verify): its public inputs and outputs. */
    public PublicStatement statement(byte[] bytes) {
        VerificationResult r = Verifier.verify(key, bytes);
        if (!r.valid()) {
            throw new IllegalStateException("the proof does not verify: " + r.reason());
        }
        return r.statement();
    }

    public byte[] modelId() {
        return key.modelId();
    }

    /** The key the on-chain verifier session registers (EvmKeyCompiler), compiled once. */
    public synchronized dev.verinfer.eth.VerifierSession.KeyParts keyParts() {
        if (parts == null) {
            parts = EvmKeyCompiler.compile(key);
        }
        return parts;
    }

    /** The statement's and the LogUp argument's shape: the first part of the session's cfg, LogUpHarness's whole configuration. */
    public long[] statementShape() {
        return EvmKeyCompiler.statementShape(key);
    }

    /** Java's verdict on the proof up to the end of the look-up argument: accepted with the claims' words and the end offset, or not. */
    public record LookupVerdict(boolean accepted, byte[] claimWords, int start, int end, String reason) {}

    /**
     * Verifier.check's steps on {@code bytes} as far as the LogUp-GKR argument of the look-up phase:
     * the statement (model id, batch, public tensors and their bounds), the witness root, the output
     * points, the argument. {@code start} is where the argument begins.
     */
    public LookupVerdict lookups(byte[] bytes) {
        try {
            Head h = head(bytes);
            if (h.plan.tables.isEmpty()) {
                return reject("no look-ups");
            }
            LogUpShape shape = LookupPhase.shape(h.plan.tables);
            LogUpProof proof = LogUpProof.read(h.in, shape);
            LogUpClaims claims = LogUpVerifier.verify(h.ch.transcript, shape, proof);
            return new LookupVerdict(true, words(claims), h.start, bytes.length - h.in.remaining(), "");
        } catch (MalformedProofException | LogUpRejectedException | RejectedHead | RuntimeException e) {
            return new LookupVerdict(false, null, -1, -1, e.toString());
        }
    }

    /** As {@link #lookups} through the whole look-up phase (LookupPhase.verifyLookups itself: the argument, its claims' checks, the column terms). */
    public LookupVerdict lookupPhase(byte[] bytes) {
        try {
            Head h = head(bytes);
            LookupPhase.verifyLookups(new VerifierContext(h.plan, h.ch, new ClaimBook(h.plan.graph.tensors().size(), h.plan.items.size()), false, null, key.tableCommitment()));
            return new LookupVerdict(true, new byte[0], h.start, bytes.length - h.in.remaining(), "");
        } catch (MalformedProofException | ProofRejectedException | RejectedHead | RuntimeException e) {
            return new LookupVerdict(false, null, -1, -1, e.toString());
        }
    }

    /** The rest of the session's cfg: the look-up plan. */
    public long[] lookupPlan() {
        return EvmKeyCompiler.lookupPlan(key);
    }

    /** The function tables' tree codes (TableCode) in table order. */
    public byte[] functionTables() {
        return keyParts().tables();
    }

    /** The function tables' values in table order, each padded to its 2^vars entries as the look-up argument reads it. */
    public List<long[]> functionTableValues() {
        return EvmKeyCompiler.functionTableValues(key);
    }

    private static final class RejectedHead extends Exception {
        RejectedHead(String why) {
            super(why);
        }
    }

    private record Head(ProofReader in, VerifierChannel ch, ProofPlan plan, int start) {}

    /** Verifier.check up to the look-up phase: the statement (model id, batch, public tensors and their bounds), the witness root, the output points. */
    private Head head(byte[] bytes) throws MalformedProofException, RejectedHead {
        ProofReader in = ProofReader.open(bytes, Proof.MAGIC, Proof.VERSION);
        PublicStatement statement = PublicStatement.read(in);
        if (!Arrays.equals(statement.modelId(), key.modelId())) {
            throw new RejectedHead("model id");
        }
        if (statement.batch() > key.maxBatch()) {
            throw new RejectedHead("batch");
        }
        VerifyingKey k = key.batched(statement.batch());
        QuantGraph graph = k.graph();
        String bad = publicTensors(graph, graph.inputs(), statement.inputs(), statement.inputRoots());
        bad = bad != null ? bad : publicTensors(graph, graph.outputs(), statement.outputs(), statement.outputRoots());
        if (bad != null) {
            throw new RejectedHead(bad);
        }
        java.util.Set<Integer> own = new java.util.LinkedHashSet<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            if (statement.inputCommitted(i)) {
                own.add(graph.inputs().get(i));
            }
        }
        for (int i = 0; i < graph.outputs().size(); i++) {
            if (statement.outputCommitted(i)) {
                if (graph.tensor(graph.outputs().get(i)).kind() == QTensor.Kind.INPUT) {
                    throw new RejectedHead("committed input as output");
                }
                own.add(graph.outputs().get(i));
            }
        }
        ProofPlan plan = k.plan().withExternal(own);
        VerifierChannel ch = new VerifierChannel(Protocol.transcript(statement), in);
        ch.receiveBytes("witness-root", 64);
        for (int i = 0; i < graph.outputs().size(); i++) {
            ch.challenges("output-point", plan.shapes[graph.outputs().get(i)].numVars());
            if (statement.outputCommitted(i)) {
                ch.receiveExt("output-value");
            }
        }
        return new Head(in, ch, plan, bytes.length - in.remaining());
    }

    /** The key's layer program for LayerProgram.sol (EvmLayerProgram). */
    public byte[] layerProgram() {
        return keyParts().program();
    }

    /** Registers the layer program uses (output points and block claims first). */
    public int layerRegisters() {
        return (int) keyParts().registers();
    }

    /** The layer program's instruction count. */
    public synchronized int layerInstructions() {
        if (program == null) {
            program = EvmLayerProgram.compile(key);
        }
        return program.instructions();
    }

    /**
     * Java's verdict on the proof up to the commitment opening: whether Verifier.check (itself, with the
     * key's scheme replaced by one that records what it is given) reaches the opening, with the claims
     * it hands to it (per claim its point's coordinates and its value, 32-byte words) and the offset
     * where the opening begins; the opening itself is not checked.
     */
    public LookupVerdict layers(byte[] bytes) {
        ClaimRecorder pcs = new ClaimRecorder(bytes.length);
        VerificationResult r = Verifier.verify(key, bytes, pcs);
        if (pcs.claims == null) {
            return new LookupVerdict(false, null, -1, -1, r.reason());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (dev.verinfer.pcs.PcsClaim c : pcs.claims) {
            put(out, c.point());
            put(out, c.claimedValue());
        }
        return new LookupVerdict(true, out.toByteArray(), -1, pcs.at, "");
    }

    /** A scheme that reads no opening and records the claims it is asked to check (then refuses). */
    private static final class ClaimRecorder implements dev.verinfer.pcs.MultilinearPcs {
        private final int length;
        List<dev.verinfer.pcs.PcsClaim> claims;
        int at = -1;

        ClaimRecorder(int length) {
            this.length = length;
        }

        @Override
        public dev.verinfer.pcs.PcsCommitment commit(long[] evaluations) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.verinfer.pcs.PcsOpeningProof open(dev.verinfer.transcript.Transcript transcript, List<dev.verinfer.pcs.PcsOpening> openings) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void verify(dev.verinfer.transcript.Transcript transcript, List<dev.verinfer.pcs.PcsClaim> claims, dev.verinfer.pcs.PcsOpeningProof proof)
                throws dev.verinfer.pcs.PcsRejectedException {
            this.claims = List.copyOf(claims);
            throw new dev.verinfer.pcs.PcsRejectedException("recorded");
        }

        @Override
        public dev.verinfer.pcs.PcsOpeningProof readProof(ProofReader reader) {
            at = length - reader.remaining();
            return w -> { };
        }
    }

    /**
     * The commitment-opening claims' layout, in Verifier.check's order, as far as the key fixes it:
     * the weight claim (on the key's weight root, {@code weightVars} variables), then the witness claim
     * (on the proof's witness root, {@code witnessVars}); each present when the layer program hands
     * over such a claim. alexa_v0.1 has both, and no committed inputs or outputs.
     */
    public record OpeningLayout(byte[] weightRoot, int weightVars, int witnessVars) {}

    public OpeningLayout openingLayout() {
        return new OpeningLayout(keyParts().weightRoot(), keyParts().weightVars(), keyParts().witnessVars());
    }

    /** Verifier.verify's verdict on the whole proof. */
    public boolean verifies(byte[] bytes) {
        return Verifier.verify(key, bytes).valid();
    }

    private static LookupVerdict reject(String why) {
        return new LookupVerdict(false, null, -1, -1, why);
    }

    private static String publicTensors(QuantGraph graph, List<Integer> ids, List<long[]> values, List<byte[]> roots) {
        if (ids.size() != values.size()) {
            return "tensor count";
        }
        for (int i = 0; i < ids.size(); i++) {
            QTensor t = graph.tensor(ids.get(i));
            if (roots.get(i).length > 0) {
                continue;
            }
            long[] v = values.get(i);
            if (v.length != t.size()) {
                return "tensor size";
            }
            long bound = 1L << t.bits();
            for (long x : v) {
                if (x <= -bound || x >= bound) {
                    return "bound";
                }
            }
        }
        return null;
    }

    /** The claims as the contract digests them: per block its point's coordinates, then its evaluations, each a 32-byte word. */
    private static byte[] words(LogUpClaims claims) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (GroupClaim g : claims.groups()) {
            put(out, g.point());
            put(out, g.columnEvaluations());
            put(out, g.selectorEvaluation());
        }
        for (TableClaim t : claims.tables()) {
            put(out, t.point());
            put(out, t.columnEvaluations());
            put(out, t.multiplicityEvaluation());
        }
        return out.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, Ext2... values) {
        for (Ext2 v : values) {
            for (long c : new long[] {v.c0(), v.c1()}) {
                byte[] w = new byte[32];
                byte[] b = new BigInteger(Long.toUnsignedString(c)).toByteArray();
                int n = Math.min(b.length, 9);
                System.arraycopy(b, b.length - n, w, 32 - n, n);
                out.writeBytes(w);
            }
        }
    }
}
