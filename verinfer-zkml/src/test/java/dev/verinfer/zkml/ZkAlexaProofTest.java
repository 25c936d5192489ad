package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * alexa_v0.1, the first real model proven in zero knowledge: its ReLUs are maxima of private values
 * ({@link ZkMaxLayers}: a zero-knowledge zero-check, y and the operand masked by scalars of M) and its last Gemm's
 * output is one value, so the Rescale and sigmoid look-ups after it are one-row groups, lifted to two rows for their
 * masked leaves ({@link LookupPhase.OneRowLift}). One key for the class on the real hiding WHIR commitment
 * (conjectured security, a small weight budget: the properties depend on neither).
 */
class ZkAlexaProofTest {
    /** The bounds proof (two units) and the class's seven proofs (two units each; about 8 s each on the 2-core machine). */
    private static final int BUDGET = 2 + 2 * 7;

    private static QuantGraph graph;
    private static ProvingKey key;
    private static java.util.Map<Integer, long[]> inputs;
    private static long[][] trace;
    private static long[] output;

    @BeforeAll
    static void setUp() {
        NamedInput calibration = RealInputs.embeddings(1);
        CompiledModel m = CompiledModel.compile(RealModels.ALEXA.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        graph = m.quant();
        key = ZkMatMulProofTest.zkKey(graph, PcsSecurity.CONJECTURED, BUDGET);
        try (IntegerExecutor executor = new IntegerExecutor()) {
            Execution ex = executor.run(graph, RealInputs.embeddings(2).values());
            output = ex.value(graph.outputs().getFirst());
            inputs = AdversarialProver.inputsOf(graph, ex);
            trace = AdversarialProver.trace(key, inputs, AdversarialProver.Rewrite.NONE);
        }
    }

    /** The tensor written by the first node of this op kind (in graph order) whose output has {@code vars} variables, or −1. */
    private static int output(Class<? extends QOp> op, int vars) {
        for (QNode n : graph.nodes()) {
            if (op.isInstance(n.op()) && (vars < 0 || key.plan().shapes[n.output()].numVars() == vars)) {
                return n.output();
            }
        }
        return -1;
    }

    /**
     * alexa is covered (with maxima of private values and one-row look-ups); its zero-knowledge proof verifies and proves the
     * executor's output; flipped bytes are rejected. What the maxima and the look-up leaves reveal — "max-values" (y′(ρ) and
     * the operand's c′(ρ)) and the column terms — is not a function of the witness: a second proof of the execution (fresh
     * masks) sends different values up to its last "max-values", which it alters with the rest re-derived honestly: rejected.
     */
    @Test
    void alexaIsProvenInZeroKnowledgeAndItsRevealedValuesChangeWithTheMasks() {
        assertEquals(List.of(), ZeroKnowledge.uncovered(graph));
        assertTrue(output(QOp.Max.class, -1) >= 0 && key.plan().clampInput(graph.nodes().stream()
                .filter(n -> n.op() instanceof QOp.Max).findFirst().orElseThrow()) < 0, "alexa's ReLU is a maximum, not a clamp look-up");
        assertTrue(key.plan().tables.stream().flatMap(t -> t.groups().stream()).anyMatch(g -> g.shape().numVars() == 0), "alexa has one-row look-ups");
        List<Ext2> first = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Proof honest = AdversarialProver.proveRecording(key, trace, labels, java.util.Set.of("max-values", "column-terms"), first);
        VerificationResult verdict = Verifier.verify(key.verifyingKey(), honest.bytes());
        assertTrue(verdict.valid(), verdict.reason());
        assertArrayEquals(output, verdict.statement().outputs().getFirst());
        byte[] flipped = honest.bytes().clone();
        for (int at = flipped.length / 7; at < flipped.length; at += flipped.length / 4) {
            flipped[at] ^= 1;
            assertFalse(Verifier.verify(key.verifyingKey(), flipped).valid(), "byte " + at + " flipped");
            flipped[at] ^= 1;
        }
        int last = labels.lastIndexOf("max-values");
        List<Ext2> second = new ArrayList<>();
        Proof altered = AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> {
            if (seq < last && (label.equals("max-values") || label.equals("column-terms"))) {
                second.add(v);
            }
            return seq == last ? v.add(Ext2.ONE) : v;
        });
        assertFalse(Verifier.verify(key.verifyingKey(), altered.bytes()).valid(), "an altered max-values accepted");
        assertTrue(second.size() > 1 && second.size() < first.size(), second.size() + " of " + first.size());
        // a public candidate's value — the ReLU's 0, the sigmoid cut's clamp bounds lo and hi — is that constant in both; every masked one differs
        java.util.Set<Ext2> publicBounds = new java.util.HashSet<>();
        for (dev.verinfer.model.quant.QTensor t : key.graph().tensors()) {
            if (t.kind() == dev.verinfer.model.quant.QTensor.Kind.CONSTANT && t.data() != null && t.data().length == 1) {
                publicBounds.add(new Ext2(Goldilocks.fromSigned(t.data()[0]), 0));
            }
        }
        for (int i = 0; i < second.size(); i++) {
            if (!first.get(i).equals(second.get(i)) || !publicBounds.contains(first.get(i))) {
                assertNotEquals(first.get(i), second.get(i), "revealed value " + i + " is fixed by the witness");
            }
        }
    }

    /**
     * alexa's zero-knowledge key takes the saturated-look-up cut ({@link SaturatedLookups}) as its plain key does: the sigmoid's
     * 2^16-row table becomes its 2^14-row window after a Max and a Min with the public bounds, proven as maxima of private values
     * on one lifted variable ({@link ZkMaxLayers#lifted}: the sigmoid's input is one value), and the witness shrinks 2^17 → 2^15 —
     * the plain key's plan exactly. The prover's and the verifier's keys cut alike.
     */
    @Test
    void theZeroKnowledgeKeyCutsTheSaturatedSigmoidAsThePlainKeyDoes() {
        ProofPlan plan = key.plan();
        assertEquals(1, key.verifyingKey().saturatedCut().size());
        assertEquals(key.verifyingKey().saturatedCut(), SaturatedLookups.plan(ZkPooling.separable(graph), false).cut());
        assertTrue(plan.tables.stream().noneMatch(t -> !t.isRange() && t.numVars() > 14), "no 2^16 sigmoid table, no clamp table");
        assertTrue(plan.tables.stream().anyMatch(t -> !t.isRange() && t.numVars() == 14), "the 2^14 window");
        assertEquals(15, plan.witnessPacking.numVars());
        assertEquals(17, new ProofPlan(ZkPooling.separable(graph), true).witnessPacking.numVars(), "the rule's uncut plan");
        assertEquals(SaturatedLookups.plan(ZkPooling.separable(graph), false).plan().cost(), plan.cost(), "the plain key's plan");
        assertEquals(key.verifyingKey().plan().cost(), plan.cost(), "prover and verifier derive the same plan");
        List<ZkMaxLayers.Masked> clamps = ZkMaxLayers.masked(plan).stream().filter(m -> ZkMaxLayers.lifted(plan, m.check())).toList();
        assertEquals(2, clamps.size(), "the cut's Max and Min, one value each");
        assertEquals(List.of(), ZeroKnowledge.uncoveredNodes(plan));
    }

    /**
     * alexa with its input committed in zero knowledge (a hiding root for two proofs, the input private: its readers are proven as
     * private ones, its claims masked and opened off the face of its own commitment): the proof verifies and proves the
     * executor's public output; the committed input with one value beyond its bound, everything after it re-derived, is
     * rejected (its range look-up). The output is one value, which a zero-knowledge proof does not commit (no variable to mask).
     */
    @Test
    void alexaWithACommittedInputIsProvenInZeroKnowledge() {
        assertEquals(List.of(), ZeroKnowledge.uncoveredNodes(graph, java.util.Set.copyOf(graph.inputs())));
        Proof p = AdversarialProver.prove(key, trace, Visibility.COMMITTED, Visibility.PUBLIC);
        VerificationResult verdict = Verifier.verify(key.verifyingKey(), p.bytes());
        assertTrue(verdict.valid(), verdict.reason());
        assertArrayEquals(output, verdict.statement().outputs().getFirst());
        assertTrue(verdict.statement().inputCommitted(0));
        int x = graph.inputs().getFirst();
        long[][] beyond = AdversarialProver.trace(key, inputs, AdversarialProver.overwrite(x, 0, (h, t) -> Goldilocks.fromSigned(1L << graph.tensor(x).bits())));
        assertFalse(Verifier.verify(key.verifyingKey(), AdversarialProver.prove(key, beyond, Visibility.COMMITTED, Visibility.PUBLIC).bytes()).valid(),
                "a committed input beyond its bound accepted");
    }

    /** M committed with the scalar masking a ReLU's output altered while the zero-check uses the masks as drawn: rejected. */
    @Test
    void anAlteredMaximumMaskIsRejected() {
        ProofMasks.ZkLayout layout = LinearLayers.zkLayout(graph, key.plan(), ZkWitnessBatching.tail(key.verifyingKey().pcs(), key.plan(), key.verifyingKey().weightOpeningBudget()));
        ZkMaxLayers.Masked first = ZkMaxLayers.masked(key.plan()).getFirst();
        AdversarialProver.assertAlteredMaskRejected(key, trace, layout.scalarIndex(layout.firstLeafScalar() + first.output()));
    }

    /**
     * The adversarial prover overwrites a hidden value and re-derives everything after it honestly: a ReLU's committed output
     * (a real slot + 1: the zero-knowledge zero-check must catch it) and the one-row Rescale output after the last Gemm (a
     * non-integer quotient whose remainder is in range: the lifted look-ups must catch it). Both are rejected.
     */
    @Test
    void overwrittenHiddenValuesAreNotForgeries() {
        int relu = output(QOp.Max.class, -1);
        int oneRow = output(QOp.Rescale.class, 0);
        assertTrue(relu >= 0 && oneRow >= 0);
        QOp.Rescale r = (QOp.Rescale) graph.nodes().stream().filter(n -> n.output() == oneRow).findFirst().orElseThrow().op();
        List<AdversarialProver.Rewrite> rewrites = List.of(
                AdversarialProver.overwrite(relu, 0, (h, t) -> Goldilocks.add(h, 1)),
                AdversarialProver.overwrite(oneRow, 0, (h, t) -> {
                    long x = Goldilocks.toSigned(t[r.x()][0]);
                    long remainder = x + (1L << (r.k() - 1)) - (Goldilocks.toSigned(h) << r.k());
                    return AdversarialProver.nonIntegerQuotient(t[r.x()][0], r.k(), (remainder + 1) % (1L << r.k()));
                }));
        for (AdversarialProver.Rewrite rewrite : rewrites) {
            long[][] forged = AdversarialProver.trace(key, inputs, rewrite);
            // throws on a forgery; these overwrites make the trace false, so the proof must be rejected outright
            assertFalse(AdversarialProver.assertNoForgery(key, forged, Visibility.PUBLIC, Visibility.PUBLIC, "overwritten hidden value"), "accepted");
        }
    }

    /**
     * The key's bounds proof, which `verinfer compile --zk` makes when it writes the verifying key (setup makes it lazily, so
     * neither this class's proofs nor `bench --zk` ever made it): one bit table over the whole 2^19-slot weight cube had
     * 2^(19+6) entries (B = 21 for a single 20-bit bias entry) and its hiding commitment ran out of an 8 GB heap. Cut into
     * regions ({@link BoundsRegions}) no bit table exceeds 2^22 entries and all of them 2^23 (measured: 6,848,512 = 2^22.7).
     */
    @Test
    void theBoundsProofIsCutIntoRegionsOfBoundedSize() {
        ProofPlan plan = key.plan();
        assertEquals(18, plan.weightPacking.numVars(), "the [1536, 128] weight cut into 1024 + 512 rows (ProofPlan's zero-knowledge weight layout): 2^18 slots, not 2^19");
        List<BoundsRegions.Region> regions = BoundsRegions.of(plan);
        List<BoundsRegions.Region> withBits = regions.stream().filter(r -> !r.empty()).toList();
        assertTrue(withBits.stream().allMatch(r -> r.entries() <= 1L << 22), regions::toString);
        assertTrue(withBits.stream().mapToLong(BoundsRegions.Region::entries).sum() <= 1L << 23, regions::toString);
        assertEquals(13, withBits.getFirst().bits(), "the 12-bit weights are not decomposed at the widest bias's 21 bits");
        assertEquals(1L << plan.weightPacking.numVars(), regions.stream().mapToLong(r -> 1L << r.vars()).sum(), "the regions cover the cube");
    }
}
