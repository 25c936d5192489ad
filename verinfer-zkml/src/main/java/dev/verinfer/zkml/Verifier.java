package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a proof against a verifying key. Never throws on hostile bytes: every failure, from a
 * truncated file to a wrong sumcheck message, is an invalid {@link VerificationResult} with the reason.
 */
public final class Verifier {
    /** The proof format this verifier reads (the version after the "VIPF" magic): what `verinfer --version` prints. */
    public static int proofFormatVersion() {
        return Proof.VERSION;
    }

    /** The format of zero-knowledge proofs (the version after the "VIPF" magic), printed beside {@link #proofFormatVersion()}. */
    public static int zeroKnowledgeProofFormatVersion() {
        return Proof.ZK_VERSION;
    }

    /** The largest batch a proof may claim (bounds the verifier's work on hostile statements). */
    public static final int MAX_BATCH = 1024;

    private Verifier() {}

    /**
     * Whether the proof is valid for the statement it carries (read it from the result), with that
     * statement's batch size and context. A caller that expects a context (a market: its request and
     * prover) compares {@link PublicStatement#context()} or uses {@link #verify(VerifyingKey, byte[], byte[])}.
     */
    public static VerificationResult verify(VerifyingKey key, byte[] proofBytes) {
        return verify(key, proofBytes, key.proofPcs());
    }

    /**
     * As {@link #verify(VerifyingKey, byte[])} with the commitment openings checked by {@code pcs}: the
     * key's proof scheme ({@link VerifyingKey#proofPcs}), or one that wraps it to observe what an opening reveals (the leakage tests).
     */
    static VerificationResult verify(VerifyingKey key, byte[] proofBytes, MultilinearPcs pcs) {
        PublicStatement statement = null;
        if (proofBytes.length > key.maxProofBytes()) {
            return VerificationResult.reject("proof of " + proofBytes.length + " bytes exceeds the " + key.maxProofBytes()
                    + " bytes a proof for this model may have", null);
        }
        try {
            ProofReader in = Proof.open(proofBytes);
            Proof.checkVersion(in.version(), key.zeroKnowledge());
            statement = PublicStatement.read(in);
            check(key, statement, in, pcs);
            in.finish();
            return VerificationResult.accept(statement);
        } catch (MalformedProofException e) {
            return VerificationResult.reject("malformed proof: " + e.getMessage(), statement);
        } catch (ProofRejectedException e) {
            return VerificationResult.reject(e.getMessage(), statement);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // Hostile bytes must never escape as a throw; sizes are bounded above, so these are last resorts.
            return VerificationResult.reject("proof could not be checked: " + e, statement);
        }
    }

    /** As {@link #verify(VerifyingKey, byte[])}, and invalid unless the proof is bound to {@code context}. */
    public static VerificationResult verify(VerifyingKey key, byte[] proofBytes, byte[] context) {
        VerificationResult r = verify(key, proofBytes);
        if (r.valid() && !Arrays.equals(r.statement().context(), context)) {
            return VerificationResult.reject("the proof is bound to another context (made for another request or prover)", r.statement());
        }
        return r;
    }

    private static void check(VerifyingKey baseKey, PublicStatement statement, ProofReader in, MultilinearPcs pcs)
            throws MalformedProofException, ProofRejectedException {
        if (!Arrays.equals(statement.modelId(), baseKey.modelId())) {
            throw new ProofRejectedException("the proof is for model " + statement.modelIdHex() + ", not " + baseKey.modelIdHex());
        }
        if (statement.batch() > baseKey.maxBatch()) {
            throw new ProofRejectedException("a batch of " + statement.batch() + " inferences exceeds this model's limit of " + baseKey.maxBatch());
        }
        VerifyingKey key = baseKey.batched(statement.batch());
        QuantGraph graph = key.graph();
        checkPublicTensors(graph, graph.inputs(), statement.inputs(), statement.inputRoots(), "input");
        checkPublicTensors(graph, graph.outputs(), statement.outputs(), statement.outputRoots(), "output");
        java.util.Map<Integer, byte[]> ownRoots = new java.util.LinkedHashMap<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            if (statement.inputCommitted(i)) {
                ownRoots.put(graph.inputs().get(i), statement.inputRoots().get(i));
            }
        }
        for (int i = 0; i < graph.outputs().size(); i++) {
            if (statement.outputCommitted(i)) {
                if (graph.tensor(graph.outputs().get(i)).kind() == QTensor.Kind.INPUT) {
                    throw new ProofRejectedException("output '" + graph.tensor(graph.outputs().get(i)).name() + "' is an input and cannot be committed separately");
                }
                ownRoots.put(graph.outputs().get(i), statement.outputRoots().get(i));
            }
        }
        ProofPlan plan = key.plan().withExternal(ownRoots.keySet());
        if (key.zeroKnowledge() && !ownRoots.isEmpty()) { // a committed input is private: its readers must be covered (the key checked the rest)
            List<String> uncovered = ZeroKnowledge.uncoveredNodes(plan);
            String why = uncovered.isEmpty() ? ZeroKnowledge.uncoveredCommitted(plan) : uncovered.getFirst();
            if (why != null) {
                throw new ProofRejectedException("a zero-knowledge proof of this model cannot commit these inputs or outputs: " + why);
            }
        }

        VerifierChannel ch = new VerifierChannel(Protocol.transcript(statement), in);
        byte[] witnessRoot = ch.receiveBytes("witness-root", 64);
        ZkVerifier zk = null;
        // The witness's mask in its free last block, or above it: fixed by the key's scheme, weight opening budget and plan, not by the proof.
        int witnessTail = key.zeroKnowledge() ? ZkWitnessBatching.tail(key.pcs(), plan, key.weightOpeningBudget()) : -1;
        if (key.zeroKnowledge()) {
            ProofMasks.ZkLayout layout = LinearLayers.zkLayout(graph, plan, witnessTail);
            if (!layout.isEmpty()) {
                zk = new ZkVerifier(layout, new ProofMasks.Verifier(layout, ch), key.weightRoot(), key.weightVars(), new ArrayList<>());
            }
        }
        ClaimBook claims = new ClaimBook(graph.tensors().size(), plan.items.size());
        VerifierContext cx = new VerifierContext(plan, ch, claims, key.zeroKnowledge(), zk, key.tableCommitment());

        java.util.Map<Integer, List<Claim>> ownClaims = new java.util.HashMap<>();
        for (int i = 0; i < graph.outputs().size(); i++) {
            int o = graph.outputs().get(i);
            if (key.zeroKnowledge() && statement.outputCommitted(i) && plan.isCommitted(o)) {
                continue; // committed in its own right: no claim, as the prover
            }
            Ext2[] r = ch.challenges("output-point", plan.shapes[o].numVars());
            if (key.zeroKnowledge() && statement.outputCommitted(i)) { // a linear op's: the value masked by δ, a scalar of M
                Claim c = new Claim(r, ch.receiveExt("output-value"));
                claims.onTensor(o, c);
                claims.mask(c, HiddenOffset.scalar(zk.layout(), zk.layout().firstLeafScalar() + LinearLayers.outputValueSlot(plan, o), Ext2.ONE));
                ownClaims.computeIfAbsent(o, k -> new ArrayList<>()).add(c);
                continue;
            }
            if (statement.outputCommitted(i)) {
                Claim c = new Claim(r, ch.receiveExt("output-value"));
                if (!plan.isCommitted(o)) {
                    ownClaims.computeIfAbsent(o, k -> new ArrayList<>()).add(c);
                }
                claims.onTensor(o, c);
            } else {
                claims.onTensor(o, new Claim(r, publicEvaluation(plan, o, statement.outputs().get(i), r)));
            }
        }
        LookupPhase.verifyLookups(cx);
        MaxLayers.verify(cx);
        // the tensors whose masked claims are merged in zero knowledge: fixed by the graph, found once (a scan of the graph)
        List<Integer> zkMerged = zk != null ? ZkClaimMerge.tensors(graph, plan) : List.of();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            int t = node.output();
            if (plan.isCommitted(t) || claims.tensor(t).isEmpty()) {
                continue;
            }
            if (key.zeroKnowledge() && ZeroKnowledge.forwardsEachClaim(plan, node)) {
                for (Claim c : List.copyOf(claims.tensor(t))) { // no merge: each (masked) claim forwarded with its own offset
                    LinearLayers.verify(cx, node, c);
                }
                continue;
            }
            if (zkMerged.contains(t)) { // several masked claims merged in zero knowledge
                LinearLayers.verify(cx, node, ZkClaimMerge.verify(cx, t, claims.tensor(t)));
                continue;
            }
            HiddenOffset offset = claims.soleOffset(claims.tensor(t));
            Claim merged = ClaimBatching.verify(ch, plan.shapes[t].numVars(), ClaimBatching.whole(claims.tensor(t), plan.shapes[t].numVars()));
            claims.mask(merged, offset);
            LinearLayers.verify(cx, node, merged);
        }
        checkKnownTensors(graph, plan, statement, claims);

        List<PcsClaim> pcsClaims = new ArrayList<>();
        List<ClaimBatching.SubcubeClaim> weightClaims = Protocol.weightClaims(plan, claims);
        if (key.zeroKnowledge() && !weightClaims.isEmpty()) {
            throw new ProofRejectedException("a zero-knowledge proof claims weights in the clear");
        }
        if (!weightClaims.isEmpty()) {
            Claim w = ClaimBatching.verify(ch, plan.weightPacking.numVars(), weightClaims);
            pcsClaims.add(new PcsClaim(key.weightRoot(), key.weightVars(), w.point(), w.value()));
        }
        List<ClaimBatching.SubcubeClaim> witnessClaims = Protocol.witnessClaims(plan, claims);
        if (zk != null && zk.layout().index(ProofMasks.ZkLayout.WITNESS) >= 0) {
            pcsClaims.add(ZkWitnessBatching.verify(ch, zk, witnessRoot, plan.witnessPacking.numVars(), witnessTail, plan.witnessPadding, witnessClaims,
                    Protocol.witnessOffsets(plan, claims)));
        } else if (!witnessClaims.isEmpty() || !plan.witnessPadding.isEmpty()) {
            Claim w = ClaimBatching.verify(ch, plan.witnessPacking.numVars(), witnessClaims, plan.witnessPadding, "the witness");
            pcsClaims.add(new PcsClaim(witnessRoot, plan.witnessPacking.numVars(), w.point(), w.value()));
        }
        for (var own : ownRoots.entrySet()) {
            int t = own.getKey();
            List<Claim> all = Protocol.ownClaims(plan, claims, ownClaims, t);
            dev.verinfer.zkml.layout.Padding padding = dev.verinfer.zkml.layout.Padding.of(plan.shapes[t]);
            if (key.zeroKnowledge()) { // zk != null: uncoveredCommitted demands masked leaves, which the layout then has
                int vars = plan.shapes[t].numVars();
                pcsClaims.add(ZkWitnessBatching.verify(ch, zk, ZkWitnessBatching.committedKey(graph, t), "committed-eval",
                        "committed '" + graph.tensor(t).name() + "'", own.getValue(), vars, padding, ClaimBatching.whole(all, vars),
                        all.stream().map(claims::offset).toList()));
            } else if (!all.isEmpty() || !padding.isEmpty()) {
                Claim c = ClaimBatching.verify(ch, plan.shapes[t].numVars(), ClaimBatching.whole(all, plan.shapes[t].numVars()), padding,
                        "committed '" + graph.tensor(t).name() + "'");
                pcsClaims.add(new PcsClaim(own.getValue(), plan.shapes[t].numVars(), c.point(), c.value()));
            }
        }
        if (zk != null) {
            List<PcsClaim> weights = ZkWeightBatching.verify(ch, zk, zk.weightClaims());
            zk.masks().verifyLinear(ch);
            pcsClaims.addAll(weights);
            pcsClaims.addAll(zk.masks().claims());
        }
        PcsOpeningProof opening = pcs.readProof(in);
        try {
            pcs.verify(ch.transcript, pcsClaims, opening);
        } catch (PcsRejectedException e) {
            throw new ProofRejectedException("commitment opening: " + e.getMessage(), e);
        }
    }

    private static void checkPublicTensors(QuantGraph graph, List<Integer> ids, List<long[]> values, List<byte[]> roots, String what)
            throws ProofRejectedException {
        if (ids.size() != values.size()) {
            throw new ProofRejectedException("the proof states " + values.size() + " " + what + "s, the model has " + ids.size());
        }
        for (int i = 0; i < ids.size(); i++) {
            QTensor t = graph.tensor(ids.get(i));
            long[] v = values.get(i);
            if (roots.get(i).length > 0) {
                continue; // committed: checked by opening its commitment
            }
            if (v.length != t.size()) {
                throw new ProofRejectedException(what + " '" + t.name() + "' has " + v.length + " values, the model expects " + t.size());
            }
            long bound = 1L << t.bits();
            for (long x : v) {
                if (x <= -bound || x >= bound) {
                    throw new ProofRejectedException(what + " '" + t.name() + "' value " + x + " is outside its bound 2^" + t.bits());
                }
            }
        }
    }

    /** Claims on public inputs and on constants are checked here, by evaluating them directly. */
    private static void checkKnownTensors(QuantGraph graph, ProofPlan plan, PublicStatement statement, ClaimBook claims) throws ProofRejectedException {
        for (QTensor t : graph.tensors()) {
            int input = graph.inputs().indexOf(t.id());
            if (t.kind() == QTensor.Kind.INPUT && statement.inputCommitted(input)) {
                continue; // opened against the input's commitment instead
            }
            long[] values = switch (t.kind()) {
                case INPUT -> statement.inputs().get(input);
                case CONSTANT -> t.data();
                default -> null;
            };
            if (values == null) {
                continue;
            }
            for (Claim c : claims.tensor(t.id())) {
                if (!publicEvaluation(plan, t.id(), values, c.point()).equals(c.value())) {
                    throw new ProofRejectedException((t.kind() == QTensor.Kind.INPUT ? "input '" : "constant '") + t.name()
                            + "' does not match the proof");
                }
            }
        }
    }

    private static Ext2 publicEvaluation(ProofPlan plan, int tensor, long[] values, Ext2[] point) {
        return Mle.evaluate(ProverTensors.toField(plan.shapes[tensor].pad(values)), point);
    }
}
