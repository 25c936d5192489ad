package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.MultilinearPcs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zero-knowledge witness with its commitment's mask in its own free last block ({@link ZkWitnessBatching#tail}): the
 * five real models' witnesses take it, and on alexa_v0.1's key (conjectured, the real hiding WHIR commitment) a prover that
 * writes into padding outside the block, or opens the witness in the other layout, is rejected, while values written into
 * the block change nothing (the commitment writes its mask there; no claim reads it).
 */
class ZkWitnessTailTest {
    private static ProvingKey key;
    private static long[][] trace;
    private static int n;
    private static int tail;
    private static long used;

    @BeforeAll
    static void setUp() {
        NamedInput calibration = RealInputs.embeddings(1);
        QuantGraph graph = CompiledModel.compile(RealModels.ALEXA.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT).quant();
        key = ZkMatMulProofTest.zkKey(graph, PcsSecurity.CONJECTURED, 2 + 2 * 8);
        try (IntegerExecutor executor = new IntegerExecutor()) {
            Execution ex = executor.run(graph, RealInputs.embeddings(2).values());
            trace = AdversarialProver.trace(key, AdversarialProver.inputsOf(graph, ex), AdversarialProver.Rewrite.NONE);
        }
        n = key.plan().witnessPacking.numVars();
        tail = ZkWitnessBatching.tail(key.verifyingKey().pcs(), key.plan(), key.verifyingKey().weightOpeningBudget());
        used = used(key.plan());
    }

    /** The end of the last packed item (items are packed contiguously from slot 0). */
    private static long used(ProofPlan plan) {
        long end = 0;
        for (int i = 0; i < plan.witnessPacking.items(); i++) {
            end = Math.max(end, plan.witnessPacking.offset(i) + (1L << plan.witnessPacking.itemVars(i)));
        }
        return end;
    }

    /**
     * Each real model's zero-knowledge witness (proven) leaves its last 2^d slots free and keeps v = n: d = 11 or 12 (two
     * units of 1,012 functionals and the commit answers need 2^11 slots; the 22-variable schedules' 2^12); under weights of at
     * least its arity (alexa_v0.1, hey_mycroft_v0.1: the batched run's top) with the narrowest first fold the run under the
     * weights admits ({@link ZkWitnessBatching#narrow}, {@link ZkWitnessBatching#top}; at budget 1024, k₀ = 1: two units of its
     * functionals, 2 per fibre, and the commit answers fit 2^8 slots). Setup's default budget ({@link ZeroKnowledge#chosenBudget}):
     * 256 for alexa_v0.1, whose weights (v = 19, k₀ = 4 at 256) still top one run with its 15-variable witness folding 1; 256 for
     * hey_mycroft_v0.1 too since 2026-12-07 (branch heyfold31), whose 18-variable witness folds 4 − (19 − 18) = 3 under them
     * (two units of 492 functionals need 2^10 slots); 1024 for the three models whose weights are a member of the witness's run.
     * Columns: n, d at budget 1024, narrow, the chosen budget, d at it.
     */
    @Test
    void theRealModelsWitnessesKeepTheirArity() {
        Map<RealModels, int[]> expected = Map.of(RealModels.ALEXA, new int[] {15, 8, 1, 256, 8}, RealModels.HEY_MYCROFT, new int[] {18, 8, 1, 256, 10},
                RealModels.EMBEDDING, new int[] {22, 12, 0, 1024, 12}, RealModels.MELSPECTROGRAM, new int[] {21, 11, 0, 1024, 11},
                RealModels.OCR_CLS, new int[] {22, 12, 0, 1024, 12});
        for (var e : expected.entrySet()) {
            NamedInput calibration = switch (e.getKey()) {
                case ALEXA, HEY_MYCROFT -> RealInputs.embeddings(1);
                case MELSPECTROGRAM -> RealInputs.audio(1);
                case EMBEDDING -> RealInputs.melWindow(1);
                default -> RealInputs.textLine("verinfer proves 42", false);
            };
            QuantGraph g = CompiledModel.compile(e.getKey().path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT).quant();
            ProofPlan plan = SaturatedLookups.plan(ZkPooling.separable(g), true).plan();
            int budget = ZeroKnowledge.chosenBudget(plan, PcsSecurity.PROVEN.pcs());
            int d = ZkWitnessBatching.tail(PcsSecurity.PROVEN.pcs(), plan, budget);
            assertEquals(e.getValue()[0], plan.witnessPacking.numVars(), e.getKey() + "'s witness");
            assertEquals(e.getValue()[1], ZkWitnessBatching.tail(PcsSecurity.PROVEN.pcs(), plan, ZeroKnowledge.CODE_2_BUDGET), e.getKey() + "'s mask block at 1024");
            assertEquals(e.getValue()[2] == 1, ZkWitnessBatching.narrow(plan), e.getKey() + "'s witness under its weights");
            assertEquals(e.getValue()[3], budget, e.getKey() + "'s default weight opening budget");
            assertEquals(e.getValue()[4], d, e.getKey() + "'s mask block at its default budget");
            assertTrue(used(plan) <= (1L << plan.witnessPacking.numVars()) - (1L << d));
        }
    }

    /**
     * Setup's default budget under every commitment setting, for the two models whose weights top the witness's run: the largest
     * budget of the widest first fold. Where a smaller budget widens the weights' fold it is taken (proven: k₀ 2, 3, 4 at 1024, 512,
     * 256); where it does not (conjectured-evm, rate 1/128: k₀ 4 at every budget) the key keeps 1024 and rotates 4× less often.
     */
    @Test
    void theDefaultBudgetIsTheLargestOfTheWidestFirstFold() {
        for (RealModels model : List.of(RealModels.ALEXA, RealModels.HEY_MYCROFT)) {
            NamedInput calibration = RealInputs.embeddings(1);
            QuantGraph g = CompiledModel.compile(model.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT).quant();
            ProofPlan plan = SaturatedLookups.plan(ZkPooling.separable(g), true).plan();
            StringBuilder folds = new StringBuilder(model.modelName);
            for (PcsSecurity security : PcsSecurity.values()) {
                MultilinearPcs pcs = security.pcs();
                int budget = ZeroKnowledge.chosenBudget(plan, pcs);
                int chosenFold = pcs.hidingFirstFold(ZkWitnessBatching.top(plan, budget));
                folds.append(String.format(" %s: %d (k0 %d at 256, %d at 1024);", security.label(), budget,
                        pcs.hidingFirstFold(ZkWitnessBatching.top(plan, 256)), pcs.hidingFirstFold(ZkWitnessBatching.top(plan, 1024))));
                for (int larger : new int[] {512, 1024}) {
                    if (larger > budget) {
                        assertTrue(pcs.hidingFirstFold(ZkWitnessBatching.top(plan, larger)) < chosenFold,
                                model + " " + security.label() + ": budget " + larger + " folds as wide as the chosen " + budget);
                    }
                }
            }
            System.out.println(folds);
            assertEquals(256, ZeroKnowledge.chosenBudget(plan, PcsSecurity.PROVEN.pcs()), model + " proven");
            assertEquals(ZeroKnowledge.CODE_2_BUDGET, ZeroKnowledge.chosenBudget(plan, PcsSecurity.CONJECTURED_EVM.pcs()), model + " conjectured-evm");
            assertEquals(4, PcsSecurity.CONJECTURED_EVM.pcs().hidingFirstFold(ZkWitnessBatching.top(plan, ZeroKnowledge.CODE_2_BUDGET)));
        }
    }

    @Test
    void theHonestProofVerifiesWithTheMaskInTheWitnessTail() {
        assertEquals(8, tail, "alexa's witness (conjectured, the narrowest first fold) keeps its " + n + " variables");
        assertTrue(used < (1L << n) - (1L << tail), "padding between the items and the block: " + used);
        assertTrue(Verifier.verify(key.verifyingKey(), AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC).bytes()).valid());
    }

    /**
     * A padding slot outside the mask block made non-zero — the first after the items, the last before the block — with the
     * rest derived honestly from that witness: rejected (the padding zero-check covers every slot but the block's).
     */
    @Test
    void nonZeroPaddingOutsideTheMaskBlockIsRejected() {
        for (long slot : new long[] {used, (1L << n) - (1L << tail) - 1}) {
            Proof p = AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, writing((int) slot, 5));
            assertFalse(Verifier.verify(key.verifyingKey(), p.bytes()).valid(), "padding slot " + slot + " = 5 accepted");
        }
    }

    /** Values a prover writes into the block are not its values: the commitment's mask replaces them, and the proof is the same kind. */
    @Test
    void valuesWrittenIntoTheMaskBlockAreNoValueOfTheProof() {
        Proof p = AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, writing((int) ((1L << n) - 1), 5));
        assertTrue(Verifier.verify(key.verifyingKey(), p.bytes()).valid());
    }

    /** The layout is the key's: a prover that commits and opens the witness with its mask above 2^n instead is rejected. */
    @Test
    void theOtherLayoutIsRejected() {
        ProverChannel.Tamper other = new ProverChannel.Tamper() {
            @Override
            public Ext2 message(int sequence, String label, Ext2 value) {
                return value;
            }

            @Override
            public int witnessTail(int t) {
                return -1;
            }
        };
        Proof p = AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, other);
        assertFalse(Verifier.verify(key.verifyingKey(), p.bytes()).valid(), "the witness opened off its mask face under a key whose mask is in its tail");
    }

    /** No claim reads the block: a claim on a subcube reaching it is refused by the verifier's check (and the prover's). */
    @Test
    void aClaimReadingTheMaskBlockIsRefused() {
        Ext2[] local = {Ext2.of(3), Ext2.of(4)};
        long lastBlock = (1L << (n - 2)) - 1; // the last 4 slots: inside the block
        long beforeBlock = ((1L << n) - (1L << tail)) / 4 - 1; // the 4 slots right before it
        assertFalse(ZkWitnessBatching.offTail(n, tail, List.of(new ClaimBatching.SubcubeClaim(local, 2, lastBlock, Ext2.ONE))));
        assertTrue(ZkWitnessBatching.offTail(n, tail, List.of(new ClaimBatching.SubcubeClaim(local, 2, beforeBlock, Ext2.ONE))));
        assertTrue(ZkWitnessBatching.offTail(n, -1, List.of(new ClaimBatching.SubcubeClaim(local, 2, lastBlock, Ext2.ONE))));
        assertThrows(IllegalArgumentException.class, () -> key.plan().witnessPadding.withoutLastBlock(n - 1), "the block must be free");
    }

    private static ProverChannel.Tamper writing(int slot, long value) {
        return new ProverChannel.Tamper() {
            @Override
            public Ext2 message(int sequence, String label, Ext2 v) {
                return v;
            }

            @Override
            public void packed(long[] packed) {
                packed[slot] = Goldilocks.fromSigned(value);
            }
        };
    }
}
