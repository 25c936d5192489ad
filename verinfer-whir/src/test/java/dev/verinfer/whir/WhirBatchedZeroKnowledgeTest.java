package dev.verinfer.whir;

import dev.verinfer.merkle.MerkleNode;

import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.whir.WhirOpeningExtractor.BatchMasking;
import dev.verinfer.whir.WhirOpeningExtractor.Member;
import dev.verinfer.whir.WhirOpeningExtractor.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rank test for one zero-knowledge run over all hiding commitments of a proof (docs/proof-system.md, "Hiding
 * commitments", item 9), written before the run is built: {@link WhirOpeningExtractor#batched} writes every value the
 * designed run sends as a functional of the committed tables f, their masks ĥ and the openings' g, and
 * {@link #rankGained} eliminates the masks as {@link WhirZeroKnowledgeTest} does. Components of different arities as a
 * proof has them: a reusable commitment (the registered weights) opened by every proof, and per proof two commitments
 * made for one opening (the witness and the mask commitment M). Masking each component first gains nothing beyond the
 * claims; the plain batching with one mask gains rank at once (its cross values are plain evaluations of private tables),
 * so the test can fail.
 */
class WhirBatchedZeroKnowledgeTest {
    private static final int PROOFS = 2;

    /** A proof's components: the shared weights, then a fresh witness and M, with their claims. */
    private record Proof(List<WhirHidingCommitment> commitments, List<List<Ext2[]>> claims) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < commitments.size(); j++) {
                sb.append(j == 0 ? "" : "; ").append(commitments.get(j).layout).append(" with ").append(claims.get(j).size()).append(" claims");
            }
            return sb.toString();
        }
    }

    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void maskingEachComponentFirstGainsNoRankWhereOneMaskForTheBatchRevealsTheTables(WhirParameters.Soundness soundness) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        for (boolean weightsOnTop : new boolean[] {true, false}) {
            SplittableRandom rng = new SplittableRandom(31L * soundness.ordinal() + (weightsOnTop ? 1 : 2));
            List<Proof> proofs = proofs(params, weightsOnTop, new int[] {5, 4, 4}, 2, rng);
            String what = soundness + (weightsOnTop ? ", weights on top: " : ", witness on top: ") + proofs.getFirst();
            assertTrue(proofs.getFirst().commitments().stream().mapToInt(c -> c.layout.vars()).distinct().count() > 1, "components of different arities: " + what);
            assertTrue(fit(proofs.getFirst().commitments()), "every component reads one leaf per query (d_j + k₀_j ≥ k₀ of the top): " + what);
            assertTrue(proofs.stream().allMatch(p -> crossPointsHide(p)), what);
            assertEquals(0, rankGained(params, proofs, BatchMasking.EACH_FIRST, new SplittableRandom(rng.nextLong())), "mask each first, " + what);
            assertTrue(rankGained(params, proofs.subList(0, 1), BatchMasking.ONE_MASK, new SplittableRandom(rng.nextLong())) > 0, "one mask, " + what);
        }
    }

    /**
     * The built run, read: two proofs, each batching the shared weights with a fresh witness and M in one {@link HidingBatch} run,
     * verified; {@link WhirOpeningExtractor#batched} reads every value the proof sends at the functional the model gives it (with
     * the verifier's coins), each checked against the true f′ and g's, so the model's functionals are the built run's; and
     * they gain rank 0 on every table beyond its claims, the weights or the witness on top, every regime.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void theBuiltRunSendsTheModelsFunctionalsAndGainsNoRank(WhirParameters.Soundness soundness) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        for (boolean narrowM : new boolean[] {false, true}) { // M committed with the narrowest first fold, as a zero-knowledge proof's
            for (boolean weightsOnTop : new boolean[] {true, false}) {
                SplittableRandom rng = new SplittableRandom(90L + 31L * soundness.ordinal() + (weightsOnTop ? 1 : 2) + (narrowM ? 7 : 0));
                List<Proof> proofs = proofs(params, weightsOnTop, new int[] {5, 4, 4}, 2, PROOFS, narrowM, rng);
                String what = soundness + (weightsOnTop ? ", weights on top: " : ", witness on top: ") + proofs.getFirst();
                int plainFold = HidingLayout.of(params, 4, 1).firstFold();
                int mFold = proofs.getFirst().commitments().get(2).layout.firstFold();
                assertEquals(narrowM ? 1 : plainFold, mFold, what);
                assertAdmittedAndHidden(params, proofs, what, rng);
            }
        }
    }

    /**
     * The per-proof carrier tree (docs/proof-system.md, "The per-proof carrier tree"): the built run with each proof's witness,
     * M and the weights' g in one carrier tree, the weights on top, read by the extractor from the carrier's leaves (every row
     * checked on the true unknowns): admitted, rank 0 on every table in every regime — the carrier sends each member's leaves
     * at q mod its count, the values the run without it sends — and the one-mask control still gains.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aCarrierTreeSendsTheSameFunctionalsAndGainsNoRank(WhirParameters.Soundness soundness) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        for (boolean narrowM : new boolean[] {false, true}) {
            SplittableRandom rng = new SplittableRandom(190L + 31L * soundness.ordinal() + (narrowM ? 7 : 0));
            List<Proof> proofs = proofs(params, true, new int[] {5, 4, 4}, 2, PROOFS, narrowM, true, rng);
            assertTrue(proofs.getFirst().commitments().getFirst().carrier != null, "carried");
            assertAdmittedAndHidden(params, proofs, soundness + ", carried, weights on top: " + proofs.getFirst(), rng);
        }
    }

    /**
     * zkmask24's window mask in a batch (design (A) for the batched run's fresh g: {@link WindowMask}, a member under a larger
     * top taking the run's folds on its own variables; the built prover's g shaped by the deviation), by zkmask24's measure
     * (every coefficient of each f′ a column, f′'s own rows in the statement). The built run of
     * {@link #theBuiltRunSendsTheModelsFunctionalsAndGainsNoRank} with each fresh g on its windows — the weights on top, or
     * under the witness (lifted) — gains rank 0. The control: the top's window g without window 0 (constant on f′'s fibres)
     * gains 8–13. Under a top with its own g the control gains 0: F's later rows are masked by the top's g too, and a lifted
     * member's g masks only its cross values and its own sends, so the lifted windows are not tested alone.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aWindowMaskInABatchGainsNoRankWhereAMissingFirstWindowDoes(WhirParameters.Soundness soundness) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        for (boolean weightsOnTop : new boolean[] {true, false}) {
            long seed = 390L + 31L * soundness.ordinal() + (weightsOnTop ? 1 : 2);
            List<Proof> proofs = proofs(params, weightsOnTop, new int[] {5, 4, 4}, 2, PROOFS, false, new SplittableRandom(seed));
            String what = soundness + (weightsOnTop ? ", weights on top: " : ", witness on top: ") + proofs.getFirst();
            int[] counted = {0, 0};
            assertEquals(0, rankGained(proofs, BatchMasking.EACH_FIRST, built(params, proofs, counted, UnaryOperator.identity()), true), what);
            assertTrue(counted[1] > 0, "a window-shaped g: " + what);
            List<Proof> again = proofs(params, weightsOnTop, new int[] {5, 4, 4}, 2, PROOFS, false, new SplittableRandom(seed)); // M is spent
            int missing = rankGained(again, BatchMasking.EACH_FIRST, built(params, again, new int[2], w -> w.subList(1, w.size())), true);
            System.err.println(what + ": " + counted[1] + " window g, gained without window 0: " + missing);
            assertTrue(!weightsOnTop || missing > 2, "no window on iteration 0's fold: " + what);
        }
    }

    /**
     * A witness with its mask in its own tail ({@link HidingLayout#tail}: v = n, f′ the table with uniform values in its last
     * 2^d slots, its one claim at a generic point that reads the block, as the zkml witness's) batched with the shared weights
     * and M, two proofs: the built run, read by the extractor (every row checked on the true unknowns), is admitted and gains
     * rank 0 on every table — the witness's being f′'s first 2^n − 2^d coefficients, its claim counted as revealed — in every
     * regime.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aWitnessWithItsMaskInItsTailBatchesAndGainsNoRank(WhirParameters.Soundness soundness) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(70L + soundness.ordinal());
        int n = IntStream.rangeClosed(6, 10).filter(k -> HidingLayout.tail(params, k, 2) != null).findFirst().orElseThrow();
        int d = HidingLayout.tail(params, n, 2).tailVars();
        WhirHidingCommitment weights = (WhirHidingCommitment) pcs.commitHiding(randomTable(5, rng), PROOFS, new SplittableRandom(rng.nextLong()));
        List<Proof> proofs = tailWitnessProofs(params, weights, 5, true, n, d, false, false, rng);
        String what = soundness + ": " + proofs.getFirst();
        assertTrue(proofs.getFirst().commitments().get(1).layout.inTail(), what);
        assertAdmittedAndHidden(params, proofs, what, null);
    }

    /**
     * {@link #PROOFS} proofs, each a witness of n variables with its mask in its own tail of 2^d slots (narrow first fold or
     * not), the shared {@code weights} with one claim on {@code weightClaimVars} coordinates (off their face at n + 1), and a
     * fresh M of 4 variables (narrow or not) with {@link #hidingClaimPoints}; the weights first or the witness first, each
     * member's claim point drawn in that order.
     */
    private static List<Proof> tailWitnessProofs(WhirParameters params, WhirHidingCommitment weights, int weightClaimVars, boolean weightsFirst,
            int n, int d, boolean narrowWitness, boolean narrowM, SplittableRandom rng) {
        return tailWitnessProofs(params, weights, weightClaimVars, weightsFirst, n, d, narrowWitness, narrowM, false, rng);
    }

    /** As above; {@code carried}: each proof's witness, M and the weights' per-proof g in one carrier tree ({@link WhirHidingCommitment#commitCarried}). */
    private static List<Proof> tailWitnessProofs(WhirParameters params, WhirHidingCommitment weights, int weightClaimVars, boolean weightsFirst,
            int n, int d, boolean narrowWitness, boolean narrowM, boolean carried, SplittableRandom rng) {
        return tailWitnessProofs(params, weights, weightClaimVars, weightsFirst, n, d, narrowWitness, null, narrowM, carried, rng);
    }

    /** As above, a narrow witness no narrower than the run under {@code top} admits ({@link HidingLayout#narrowestUnder}; null: none). */
    private static List<Proof> tailWitnessProofs(WhirParameters params, WhirHidingCommitment weights, int weightClaimVars, boolean weightsFirst,
            int n, int d, boolean narrowWitness, MultilinearPcs.HidingShape top, boolean narrowM, boolean carried, SplittableRandom rng) {
        WhirPcs pcs = new WhirPcs(params);
        List<Proof> proofs = new ArrayList<>();
        for (int p = 0; p < PROOFS; p++) {
            long[] witnessTable = WhirZeroKnowledgeTest.tailTable(n, d, rng);
            WhirHidingCommitment witness = carried ? null
                    : (WhirHidingCommitment) pcs.commitHidingOnceInTail(witnessTable, 2, d, narrowWitness, top, new SplittableRandom(rng.nextLong()));
            long[] mTable = randomTable(4, rng);
            WhirHidingCommitment m;
            WhirHidingCommitment w = weights;
            if (carried) {
                List<WhirHidingCommitment> c = WhirHidingCommitment.commitCarried(List.of(
                        new WhirHidingCommitment.Carried(witnessTable, 2, d, narrowWitness, top), new WhirHidingCommitment.Carried(mTable, 1, -1, narrowM)),
                        weights, new SplittableRandom(rng.nextLong()), params, MerkleNode.PADDED, Carrier.Edits.HONEST);
                witness = c.get(0);
                m = c.get(1);
                w = c.get(2);
            } else {
                m = (WhirHidingCommitment) pcs.commitHidingOnce(mTable, 1, narrowM, new SplittableRandom(rng.nextLong()));
            }
            List<Ext2[]> mPoints = hidingClaimPoints(params, m, rng);
            Ext2[] first = randomPoint(weightsFirst ? weightClaimVars : n, rng);
            Ext2[] second = randomPoint(weightsFirst ? n : weightClaimVars, rng);
            proofs.add(new Proof(weightsFirst ? List.of(w, witness, m) : List.of(witness, w, m),
                    List.of(List.<Ext2[]>of(first), List.<Ext2[]>of(second), mPoints)));
        }
        return proofs;
    }

    /** Claim points on M's 4 variables: the fewest, from 2, that its layout lets hide ({@link HidingLayout#claimsHide}). */
    private static List<Ext2[]> hidingClaimPoints(WhirParameters params, WhirHidingCommitment m, SplittableRandom rng) {
        int claims = 2;
        while (!m.layout.claimsHide(params, claims, false, m.once())) {
            claims++;
        }
        List<Ext2[]> points = new ArrayList<>();
        for (int k = 0; k < claims; k++) {
            points.add(randomPoint(4, rng));
        }
        return points;
    }

    /**
     * As above with the witness a small member under larger weights, as on alexa_v0.1 and hey_mycroft_v0.1: its in-tail
     * commitment takes the narrowest first fold ({@link HidingLayout#tailNarrow}, d from that fold's counts), its leaves read
     * one value each by the top's queries ({@link HidingBatch#fits}); the built run is admitted and gains rank 0 on every table,
     * every regime; the control, one mask for the whole batch, reveals them.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aNarrowWitnessWithItsMaskInItsTailUnderTheWeightsGainsNoRank(WhirParameters.Soundness soundness) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(170L + soundness.ordinal());
        int n = IntStream.rangeClosed(6, 10).filter(k -> HidingLayout.tailNarrow(params, k, 2, null) != null).findFirst().orElseThrow();
        HidingLayout layout = HidingLayout.tailNarrow(params, n, 2, null);
        int d = layout.tailVars();
        WhirHidingCommitment weights = (WhirHidingCommitment) pcs.commitHiding(randomTable(n, rng), PROOFS, new SplittableRandom(rng.nextLong()));
        List<Proof> proofs = tailWitnessProofs(params, weights, n, true, n, d, true, true, rng);
        String what = soundness + ": " + proofs.getFirst();
        HidingLayout w = proofs.getFirst().commitments().get(1).layout;
        assertEquals(layout, w, what);
        assertTrue(w.inTail() && w.firstFold() < params.foldingFactor() && w.vars() < weights.layout.vars(), "narrow, under the weights: " + what);
        assertAdmittedAndHidden(params, proofs, what, rng);
    }

    /**
     * The witness under weights that fold wider than one more than the witness's own narrowest fold (docs/proof-system.md,
     * heyfold31: hey_mycroft_v0.1's 18-variable witness under its weights at budget 256, v_top = 19, k₀ = 4): WHIR with a
     * plain fold of 3, the weights at the plain fold (v = n + 1, k₀ = 3); the witness's narrowest fold alone (1) is not admitted
     * under them ({@link HidingBatch#fits}: 1 + 1 &lt; 3), its fold under them ({@link HidingLayout#narrowestUnder}) is 2 with d
     * from that fold's counts (n the smallest where M, narrow on 4 variables, is admitted too), and the run of two proofs — witness
     * in its tail, a narrow M, the weights' per-proof g, carried in
     * one tree and not — is admitted and gains rank 0 on every table in every regime; the one-mask control reveals them.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aWitnessUnderWeightsFoldingWiderFoldsNoNarrowerThanTheirRunAdmitsAndGainsNoRank(WhirParameters.Soundness soundness) {
        WhirParameters params = new WhirParameters(soundness, 1, 3, 2, soundness == WhirParameters.Soundness.UNIQUE_DECODING ? 3 : 5);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(670L + soundness.ordinal());
        int n = IntStream.rangeClosed(6, 10).filter(k -> HidingLayout.of(params, k, PROOFS).firstFold() == 3 && HidingLayout.of(params, k, PROOFS).vars() == k + 1
                && HidingLayout.tailNarrow(params, k, 2, HidingLayout.of(params, k, PROOFS)) != null && HidingLayout.tailNarrow(params, k, 2, null) != null
                && HidingBatch.fits(List.of(HidingLayout.of(params, k, PROOFS), HidingLayout.narrow(params, 4, 1, null)))) // M (4 variables) admitted too
                .findFirst().orElseThrow();
        HidingLayout top = HidingLayout.of(params, n, PROOFS);
        HidingLayout alone = HidingLayout.tailNarrow(params, n, 2, null);
        HidingLayout under = HidingLayout.tailNarrow(params, n, 2, top);
        String layouts = soundness + ": n " + n + ", top " + top + ", alone " + alone + ", under " + under;
        assertEquals(1, alone.firstFold(), layouts);
        assertEquals(2, under.firstFold(), layouts);
        assertFalse(HidingBatch.fits(List.of(top, alone)), layouts);
        assertTrue(HidingBatch.fits(List.of(top, under)) && under.inTail() && under.tailVars() >= alone.tailVars(), layouts);
        assertEquals(under.tailVars(), pcs.hidingTailVars(n, 2, true, new MultilinearPcs.HidingShape(n, PROOFS, -1, false)), layouts);
        for (boolean carried : new boolean[] {false, true}) {
            WhirHidingCommitment weights = (WhirHidingCommitment) pcs.commitHiding(randomTable(n, rng), PROOFS, new SplittableRandom(rng.nextLong()));
            List<Proof> proofs = tailWitnessProofs(params, weights, n, true, n, under.tailVars(), true, new MultilinearPcs.HidingShape(n, PROOFS, -1, false),
                    true, carried, rng);
            String what = layouts + (carried ? ", carried: " : ": ") + proofs.getFirst();
            assertEquals(top, proofs.getFirst().commitments().get(0).layout, what);
            assertEquals(under, proofs.getFirst().commitments().get(1).layout, what);
            assertAdmittedAndHidden(params, proofs, what, rng);
        }
    }

    /**
     * The run ch_ppocr_mobile_v2.0_cls and embedding_model make since zkbatch24 ({@link HidingBatch#codewordVars}): the witness
     * with its mask in its own tail on top, with the plain first fold; the shared weights below it (the largest table whose layout
     * stays below the witness, as embedding_model's 21 under 22), each proof's weight claim off their face as the zkml weights'
     * are; and a narrow M — all three in one run, two proofs. The built run, read by the extractor (every row checked on the true
     * unknowns), is admitted and gains rank 0 on every table in every regime; the control, one mask for the whole batch, reveals
     * them.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aTailWitnessOnTopBatchesTheWeightsOffTheirFaceAndANarrowMAndGainsNoRank(WhirParameters.Soundness soundness) {
        assertAdmittedAndHidden(tailWitnessOnTop(soundness, false, new SplittableRandom(270L + soundness.ordinal())));
    }

    /**
     * The carrier under a witness on top (docs/proof-system.md, "The carrier under a witness on top", carrier28): the run of the
     * test above with each proof's witness (in its tail, the top), M and the weights' per-proof g in one carrier tree of the
     * witness's leaf count, each part at q mod its own count; the members the prover's rule predicts at commit time
     * ({@link WhirPcs#sharedRun}) are all three. Read by the extractor from the carrier's leaves (every row checked on the true
     * unknowns): admitted, rank 0 on every table in every regime; the one-mask control still gains.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aCarrierUnderATailWitnessOnTopSendsTheSameFunctionalsAndGainsNoRank(WhirParameters.Soundness soundness) {
        Fixture f = tailWitnessOnTop(soundness, true, new SplittableRandom(370L + soundness.ordinal()));
        List<WhirHidingCommitment> cs = f.proofs().getFirst().commitments();
        assertTrue(cs.stream().allMatch(c -> c.carrier != null && c.carrier == cs.getFirst().carrier), "one carrier: " + f.what());
        WhirSchedule.Round top = cs.getFirst().schedule.rounds().getFirst();
        assertEquals(top.fibres(), cs.getFirst().carrier.leaves(), "the carrier has the top's leaf count: " + f.what());
        assertAdmittedAndHidden(f);
    }

    /**
     * bytes28's unsalted later oracles in the batched run (2026-12-06, branch rank28): every oracle after iteration 0 is a
     * function of F₁ — the batch's F = Σ_j μ^j(f̃′_j + ρ·g̃_j) folded by iteration 0 — so its unsalted tree reveals at most F₁.
     * Two proofs of each carried run every model makes — the weights on top (k₀ 2) with a narrow witness in its tail and a
     * narrow M in the carrier (alexa_v0.1's), and the witness in its tail on top with the weights and a narrow M under it (the
     * OCR classifier's, embedding_model's, melspectrogram's) — built, verified and read by the extractor (every sent row
     * checked on the true unknowns) <b>plus F₁ whole</b> (one row per coefficient, {@link WhirOpeningExtractor#batched} with
     * {@code firstFold}): the prover dropped every later salt (the rule holds in the fixture), and the rows gain rank 0 on
     * every table by both measures, as without F₁. The control: the first run with the weights' budget that folds one (k₀ 1:
     * F₁ has as many base functionals as the top's g, the rule fails) keeps its later salts, and there F₁ whole gains rank
     * (0 → 8 in every regime): the rule's count matters in the batch too, and the test can fail.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void revealingTheFirstFoldWholeOfACarriedBatchGainsNoRankWhereItsLaterOraclesAreUnsalted(WhirParameters.Soundness soundness) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        SplittableRandom rng = new SplittableRandom(470L + soundness.ordinal());
        int n = IntStream.rangeClosed(6, 10).filter(k -> HidingLayout.tailNarrow(params, k, 2, null) != null).findFirst().orElseThrow();
        Fixture control = weightsOnTopCarried(params, n, WhirZeroKnowledgeTest.smallestBudgetFoldingOne(params, n), rng);
        for (Fixture f : List.of(weightsOnTopCarried(params, n, PROOFS, rng), tailWitnessOnTop(soundness, true, new SplittableRandom(570L + soundness.ordinal())), control)) {
            boolean rule = f != control;
            List<WhirProof.Group> sent = new ArrayList<>();
            Rows withF1 = memo(built(f.params(), f.proofs(), new int[2], null, true, sent));
            Rows without = (p, members, u, oneMaskAt) -> withF1.of(p, members, u, oneMaskAt).stream().filter(r -> !r.what().startsWith("F1 ")).toList();
            int[] gained = {rankGained(f.proofs(), BatchMasking.EACH_FIRST, without), rankGained(f.proofs(), BatchMasking.EACH_FIRST, withF1),
                    rankGained(f.proofs(), BatchMasking.EACH_FIRST, without, true), rankGained(f.proofs(), BatchMasking.EACH_FIRST, withF1, true)};
            String what = f.what() + ", rank gained without / with F₁ (two measures) " + java.util.Arrays.toString(gained);
            assertEquals(PROOFS, sent.size(), what);
            assertEquals(rule ? 2 : 1, f.proofs().getFirst().commitments().getFirst().layout.firstFold(), what);
            for (WhirProof.Group g : sent) {
                assertTrue(g.rounds().size() > 1, "a later oracle: " + what);
                for (int i = 1; i < g.rounds().size(); i++) {
                    assertEquals(rule ? 0 : 2 * g.rounds().get(i).fibres().length, g.rounds().get(i).salts().length, "later salts as the rule says: " + what);
                }
            }
            assertEquals(0, gained[0], what);
            assertEquals(0, gained[2], what);
            if (rule) {
                assertEquals(0, gained[1], what);
                assertEquals(0, gained[3], what);
            } else {
                assertTrue(gained[1] > 0 && gained[3] > 0, "the control, the rule failing: F₁ whole gains, " + what);
            }
        }
    }

    /** Two proofs of the weights (n variables, this budget) on top, each with a narrow witness in its tail and a narrow M in its carrier. */
    private static Fixture weightsOnTopCarried(WhirParameters params, int n, int weightBudget, SplittableRandom rng) {
        WhirHidingCommitment weights = (WhirHidingCommitment) new WhirPcs(params).commitHiding(randomTable(n, rng), weightBudget, new SplittableRandom(rng.nextLong()));
        List<Proof> proofs = tailWitnessProofs(params, weights, n, true, n, HidingLayout.tailNarrow(params, n, 2, null).tailVars(), true, true, true, rng);
        assertTrue(proofs.getFirst().commitments().getFirst().carrier != null, "carried");
        return new Fixture(params, proofs, params.soundness() + ", carried, weights on top: " + proofs.getFirst(), rng);
    }

    /** Proofs of the tail witness on top with the weights and a narrow M, what they are, the parameters and the control's coins. */
    private record Fixture(WhirParameters params, List<Proof> proofs, String what, SplittableRandom rng) {}

    private static void assertAdmittedAndHidden(Fixture f) {
        assertAdmittedAndHidden(f.params(), f.proofs(), f.what(), f.rng());
    }

    private static Fixture tailWitnessOnTop(WhirParameters.Soundness soundness, boolean carried, SplittableRandom rng) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        int weightBudget = 2 * PROOFS; // an off-face claim spends 2 units per proof (HidingLayout.openingUnits)
        // the smallest witness with a tail layout over some weights' layout; the largest weights below it
        int n = IntStream.rangeClosed(6, 11).filter(k -> HidingLayout.tail(params, k, 2) != null && HidingLayout.of(params, 1, weightBudget).vars() < k)
                .findFirst().orElseThrow();
        int d = HidingLayout.tail(params, n, 2).tailVars();
        int wVars = IntStream.iterate(n - 1, k -> k - 1).filter(k -> HidingLayout.of(params, k, weightBudget).vars() < n).findFirst().orElseThrow();
        WhirHidingCommitment weights = (WhirHidingCommitment) pcs.commitHiding(randomTable(wVars, rng), weightBudget, new SplittableRandom(rng.nextLong()));
        List<Proof> proofs = tailWitnessProofs(params, weights, wVars + 1, false, n, d, false, true, carried, rng);
        String what = soundness + (carried ? ", carried: " : ": ") + proofs.getFirst();
        List<HidingLayout> layouts = proofs.getFirst().commitments().stream().map(c -> c.layout).toList();
        assertTrue(layouts.get(0).inTail() && layouts.get(0).firstFold() == params.foldingFactor() && HidingBatch.top(layouts) == 0,
                "the tail witness on top with the plain fold: " + what);
        assertTrue(layouts.get(1).vars() < n && layouts.get(2).equals(HidingLayout.narrow(params, 4, 1, null)), "weights below it, M narrow: " + what);
        assertEquals(1, candidates(params, proofs.getFirst()).get(1).offFace(), "the weights' claim off their face: " + what);
        if (carried) { // the prover's rule at commit time: the members it predicts share the run are the three
            Proof p = proofs.getFirst();
            List<MultilinearPcs.RunMember> members = List.of(
                    new MultilinearPcs.RunMember(new MultilinearPcs.HidingShape(Integer.numberOfTrailingZeros(p.commitments().get(0).committedTable().length), 2, d, false), null, 1, 0),
                    new MultilinearPcs.RunMember(null, weights, 1, 1),
                    new MultilinearPcs.RunMember(new MultilinearPcs.HidingShape(4, 1, -1, true), null, p.claims().get(2).size(), 0));
            assertEquals(List.of(0, 1, 2), pcs.sharedRun(members), what);
        }
        return new Fixture(params, proofs, what, rng);
    }

    /**
     * Every proof's batch is admitted ({@link HidingBatch#admits}); the built run, read by the extractor (every row checked on
     * the true unknowns, at least one counted), gains rank 0 on every table; and, given coins, the control — one mask for the
     * whole batch, no member's own g first — reveals the tables of the first proof.
     */
    private static void assertAdmittedAndHidden(WhirParameters params, List<Proof> proofs, String what, SplittableRandom controlCoins) {
        assertTrue(proofs.stream().allMatch(p -> HidingBatch.admits(candidates(params, p))), "admitted: " + what);
        int[] counted = {0, 0};
        Rows rows = memo(built(params, proofs, counted));
        assertEquals(0, rankGained(proofs, BatchMasking.EACH_FIRST, rows), what);
        assertEquals(0, rankGained(proofs, BatchMasking.EACH_FIRST, rows, true), "by zkmask24's whole-f′ measure: " + what);
        assertTrue(counted[0] > 0, what);
        if (controlCoins != null) {
            assertTrue(rankGained(params, proofs.subList(0, 1), BatchMasking.ONE_MASK, new SplittableRandom(controlCoins.nextLong())) > 0,
                    "one mask, " + what);
        }
    }

    private static List<HidingBatch.Candidate> candidates(WhirParameters params, Proof p) {
        List<HidingBatch.Candidate> out = new ArrayList<>();
        for (int j = 0; j < p.commitments().size(); j++) {
            WhirHidingCommitment c = p.commitments().get(j);
            int offFace = (int) p.claims().get(j).stream().filter(r -> r.length > c.numVars()).count();
            out.add(new HidingBatch.Candidate(c.layout, c.schedule, p.claims().get(j).size(), offFace, c.once(), c.unitsLeft()));
        }
        return out;
    }

    /**
     * The model is the built protocol where they meet: a batch of one component, fed the coins of a real hiding opening of
     * that component ({@link HidingOpening}, g in its own tree or in f′'s), writes exactly the functionals that
     * {@link WhirOpeningExtractor#extract} reads from the proof (as sets: the two list them in different orders), once its
     * values of g are summed as the built run sends them ({@link WhirOpeningExtractor#summed}).
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void theModelOfABatchOfOneIsTheBuiltOpening(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(50L + soundness.ordinal());
        for (boolean once : new boolean[] {false, true}) {
            for (int budget : new int[] {1, WhirZeroKnowledgeTest.smallestBudgetFoldingOne(params, 4)}) {
                long[] table = randomTable(4, rng);
                WhirHidingCommitment c = (WhirHidingCommitment) (once ? pcs.commitHidingOnce(table, budget, false, new SplittableRandom(rng.nextLong()))
                        : pcs.commitHiding(table, budget, new SplittableRandom(rng.nextLong())));
                WhirZeroKnowledgeTest.Opening built = WhirZeroKnowledgeTest.open(params, c, table, 2, rng);
                List<Ext2[]> points = built.claims().stream().map(PcsClaim::point).toList();
                int size = 1 << c.layout.vars();
                List<Row> modelled = WhirOpeningExtractor.batched(params, List.of(new Member(c, points, 0, size)), 2 * size, -1, BatchMasking.EACH_FIRST,
                        WhirOpeningExtractor.ModelCoins.replay(built.coins()));
                String what = soundness + (once ? ", once, " : ", own mask tree, ") + c.layout;
                // the built run of one sums g's values at its constraint points (WhirProof.Mask#summed); the model sends each
                assertEquals(functionals(built.rows()), functionals(WhirOpeningExtractor.summed(modelled, points.size(), built.coins())), what);
            }
        }
    }

    private static java.util.Set<String> functionals(List<Row> rows) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Row r : rows) {
            out.add(java.util.Arrays.toString(r.c0()) + java.util.Arrays.toString(r.c1()));
        }
        return out;
    }

    /**
     * Found by the test above: masking each component first is not enough when a small component's claim points, seen
     * from another component i (their last v_i coordinates), lie on a sub-face of i (the coordinates beyond the small
     * table's are zero) with fewer coefficients of g_i than the cross values there spend. Here M's two claims (which fix
     * M's four entries, so M's own opening may make them) and the witness's claim all land on a 4-coefficient sub-face of
     * the weights: six base functionals of g_i's four, so the weights' cross values there reveal plain evaluations of the
     * weights. {@link #crossPointsHide} is the admission rule a built run must check (or leave such a component in its own
     * run); the configurations of the test above satisfy it.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void crossValuesOnAFullSubFaceOfAnotherComponentLeakItsTable(WhirParameters.Soundness soundness) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        SplittableRandom rng = new SplittableRandom(40L + soundness.ordinal());
        List<Proof> proofs = proofs(params, false, new int[] {4, 3, 2}, 2, rng);
        String what = soundness + ": " + proofs.getFirst();
        assertTrue(fit(proofs.getFirst().commitments()), what);
        assertFalse(crossPointsHide(proofs.getFirst()), what);
        assertTrue(rankGained(params, proofs, BatchMasking.EACH_FIRST, new SplittableRandom(rng.nextLong())) > 0, what);
    }

    /**
     * The admission rule over a sweep, one proof each: weights (5 variables) and witness (4) with M of 2 or 3 variables and
     * every claim count its own layout accepts, the weights or the witness on top. Every batch the rule admits gains rank
     * 0; batches it refuses leak (when written, every one of the 10 refused, 2–6 base functionals; 12 admitted).
     */
    @ParameterizedTest // the Johnson schedule's larger v makes this sweep take a minute; the tests above cover its layouts
    @EnumSource(value = WhirParameters.Soundness.class, mode = EnumSource.Mode.EXCLUDE, names = "JOHNSON_BOUND")
    void everyBatchTheAdmissionRuleAcceptsGainsNothing(WhirParameters.Soundness soundness) {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        SplittableRandom rng = new SplittableRandom(60L + soundness.ordinal());
        int leaked = 0;
        for (boolean weightsOnTop : new boolean[] {true, false}) {
            for (int mVars = 2; mVars <= 3; mVars++) {
                for (int mClaims = 1; 2 * mClaims <= (1 << mVars) + 2; mClaims++) {
                    List<Proof> proofs = proofs(params, weightsOnTop, new int[] {5, 4, mVars}, mClaims, 1, rng);
                    if (proofs.getFirst().claims().get(2).size() != mClaims) {
                        continue; // M's own layout refuses this count
                    }
                    int gained = rankGained(params, proofs, BatchMasking.EACH_FIRST, new SplittableRandom(rng.nextLong()));
                    if (crossPointsHide(proofs.getFirst())) {
                        assertEquals(0, gained, soundness + ": " + proofs.getFirst());
                    } else if (gained > 0) {
                        leaked++;
                    }
                }
            }
        }
        assertTrue(leaked > 0, "the sweep reaches batches the rule refuses because they leak");
    }

    /**
     * {@link #PROOFS} proofs, each batching the registered weights (one commitment opened by every proof, one claim) with a
     * fresh witness (one claim) and M ({@code mClaims} claims), both commitments for one opening, of {@code vars} = the three
     * tables' variables. The weights' budget or the witness's units are raised until that one is on top (the larger v). A
     * claim count the layout refuses (unique decoding, small tables: {@link HidingLayout#claimsHide}) is raised until accepted.
     */
    private static List<Proof> proofs(WhirParameters params, boolean weightsOnTop, int[] vars, int mClaims, SplittableRandom rng) {
        return proofs(params, weightsOnTop, vars, mClaims, PROOFS, rng);
    }

    /** {@code count} such proofs. */
    private static List<Proof> proofs(WhirParameters params, boolean weightsOnTop, int[] vars, int mClaims, int count, SplittableRandom rng) {
        return proofs(params, weightsOnTop, vars, mClaims, count, false, rng);
    }

    /** As above, M committed with the narrowest first fold ({@link WhirPcs#commitHidingOnce} with {@code narrow}) when {@code narrowM}. */
    private static List<Proof> proofs(WhirParameters params, boolean weightsOnTop, int[] vars, int mClaims, int count, boolean narrowM,
                                      SplittableRandom rng) {
        return proofs(params, weightsOnTop, vars, mClaims, count, narrowM, false, rng);
    }

    /** As above; {@code carried}: each proof's witness and M and the weights' g in one carrier tree ({@link WhirHidingCommitment#commitCarried}). */
    private static List<Proof> proofs(WhirParameters params, boolean weightsOnTop, int[] vars, int mClaims, int count, boolean narrowM, boolean carried,
                                      SplittableRandom rng) {
        WhirPcs pcs = new WhirPcs(params);
        int onceVars = Math.max(HidingLayout.of(params, vars[1], 1).vars(), HidingLayout.of(params, vars[2], 1).vars());
        int weightBudget = weightsOnTop ? smallestBudgetAbove(params, vars[0], onceVars) : PROOFS;
        int witnessUnits = weightsOnTop ? 1 : smallestBudgetAbove(params, vars[1], HidingLayout.of(params, vars[0], weightBudget).vars());
        WhirHidingCommitment weights = (WhirHidingCommitment) pcs.commitHiding(randomTable(vars[0], rng), weightBudget, new SplittableRandom(rng.nextLong()));
        assertTrue(weights.openingBudget() >= PROOFS);
        List<Proof> proofs = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            WhirHidingCommitment witness = (WhirHidingCommitment) pcs.commitHidingOnce(randomTable(vars[1], rng), witnessUnits, false, new SplittableRandom(rng.nextLong()));
            long[] mTable = randomTable(vars[2], rng);
            WhirHidingCommitment m = (WhirHidingCommitment) (narrowM ? pcs.commitHidingOnce(mTable, 1, true, new SplittableRandom(rng.nextLong()))
                    : pcs.commitHidingOnce(mTable, 1, false, new SplittableRandom(rng.nextLong())));
            List<WhirHidingCommitment> cs = List.of(weights, witness, m);
            if (carried) {
                List<WhirHidingCommitment> c = WhirHidingCommitment.commitCarried(List.of(
                        new WhirHidingCommitment.Carried(witness.committedTable(), witnessUnits, -1, false),
                        new WhirHidingCommitment.Carried(mTable, 1, -1, narrowM)), weights, new SplittableRandom(rng.nextLong()), params, MerkleNode.PADDED, Carrier.Edits.HONEST);
                cs = List.of(c.get(2), c.get(0), c.get(1));
            }
            List<List<Ext2[]>> claims = new ArrayList<>();
            for (int j = 0; j < cs.size(); j++) {
                WhirHidingCommitment c = cs.get(j);
                int claimCount = j == 2 ? mClaims : 1;
                while (!c.layout.claimsHide(params, claimCount, false, c.once())) {
                    claimCount++; // unique decoding refuses a few claims on a small table (HidingLayout.claimsHide): take the claims that fix it
                }
                List<Ext2[]> points = new ArrayList<>();
                for (int k = 0; k < claimCount; k++) {
                    points.add(randomPoint(c.numVars(), rng));
                }
                claims.add(points);
            }
            proofs.add(new Proof(cs, claims));
        }
        return proofs;
    }

    /**
     * The admission rule the test above finds necessary ({@link HidingBatch#crossPointsHide}): for every component i whose claims leave f_i something to hide
     * (2·claims < 2^n_i), every run of i's variables S that a claim point's nonzero coordinates reach (a claim of component
     * o sits at V-positions d_o … d_o + n_o − 1, i's variable k at V-position d_i + k) holds at most 2^|S| / 2 claim points
     * reaching only S: each such point is an extension value whose g_i-part lives on the 2^|S| coefficients of g_i over S.
     */
    static boolean crossPointsHide(Proof proof) {
        List<HidingLayout> layouts = proof.commitments().stream().map(c -> c.layout).toList();
        int[] claims = proof.claims().stream().mapToInt(List::size).toArray();
        return HidingBatch.crossPointsHide(layouts, claims, new int[claims.length]);
    }

    /**
     * Today's real batches (proven preset; `-Dverinfer.trace`, zkbatch24): the zero-knowledge witness in its own tail (v = n,
     * 2 units; narrow under weights of at least its arity), the weights (budget 1024, every claim off their face), M narrow
     * with n_M + 1 claims (its pieces and M̃(ρ)). alexa_v0.1: weights 18 → 19 on top (k₀ 2), witness 15 → 15 (k₀ 1, d = 8),
     * M 12 → 13 (k₀ 1); ch_ppocr_mobile_v2.0_cls: witness 22 → 22 on top (k₀ 4, d = 12), weights 18 → 19 (k₀ 2, 108 claims),
     * M 15 → 16 (k₀ 1, 16 claims); embedding_model: witness 22 → 22 on top, weights 20 → 21 (k₀ 4, d = 1: 1 + 4 ≥ 4, 39
     * claims), M 14 → 15. Each fits one leaf per query and passes the rule.
     */
    @org.junit.jupiter.api.Test
    void theRealModelsBatchesPassTheAdmissionRule() {
        WhirParameters p = WhirParameters.PROVEN;
        List<HidingBatch.Candidate> alexa = today(p, new int[][] {{15, NARROW_WITNESS, 1}, {18, WEIGHTS, 7}, {12, M, 13}});
        assertEquals(List.of(15, 19, 13), alexa.stream().map(c -> c.layout().vars()).toList());
        assertEquals(List.of(1, 2, 1), alexa.stream().map(c -> c.layout().firstFold()).toList());
        List<HidingBatch.Candidate> ocr = today(p, new int[][] {{22, WITNESS, 1}, {18, WEIGHTS, 108}, {15, M, 16}});
        assertEquals(List.of(22, 19, 16), ocr.stream().map(c -> c.layout().vars()).toList());
        assertEquals(List.of(4, 2, 1), ocr.stream().map(c -> c.layout().firstFold()).toList());
        List<HidingBatch.Candidate> embedding = today(p, new int[][] {{22, WITNESS, 1}, {20, WEIGHTS, 39}, {14, M, 15}});
        assertEquals(List.of(22, 21, 15), embedding.stream().map(c -> c.layout().vars()).toList());
        assertEquals(List.of(4, 4, 1), embedding.stream().map(c -> c.layout().firstFold()).toList());
        for (List<HidingBatch.Candidate> batch : List.of(alexa, ocr, embedding)) {
            assertTrue(HidingBatch.fits(batch.stream().map(HidingBatch.Candidate::layout).toList()), batch.toString());
            assertTrue(HidingBatch.admits(batch), batch.toString());
        }
        // The rule has teeth at these sizes: M's claims on a 15-variable sub-face of the weights are capped at 2^14.
        List<HidingLayout> layouts = ocr.stream().map(HidingBatch.Candidate::layout).toList();
        assertTrue(HidingBatch.crossPointsHide(layouts, new int[] {1, 108, 16}, new int[] {0, 108, 0}));
        assertFalse(HidingBatch.crossPointsHide(layouts, new int[] {1, 108, (1 << 14) + 1}, new int[] {0, 108, 0}));
    }

    /**
     * What {@link WhirProver#open} batches on the real models today (proven preset; the zkml prover's claim order: the
     * witness, the weights, M; as {@link #theRealModelsBatchesPassTheAdmissionRule}): all three, on every model.
     * ch_ppocr_mobile_v2.0_cls and embedding_model batch all three only with the cost term's unit the top's codeword with its
     * mask above its table ({@link HidingBatch#codewordVars}): their cross values read 4.2 and 6.1 of the in-tail witness's
     * own first codewords (the weights' 108 and 39 claims each evaluated on half of it), 2.1 and 3.1 of the unit; with its
     * own codeword as the unit M ran alone on the one (4.2 > 4) and the weights on the other (6.0 already with the witness
     * alone). melspectrogram's three read 3.1 of the witness's own and batch either way.
     */
    @org.junit.jupiter.api.Test
    void theRealModelsBatchWhatSavesBytes() {
        WhirParameters p = WhirParameters.PROVEN;
        assertEquals(List.of(0, 1, 2), HidingBatch.chosen(today(p, new int[][] {{15, NARROW_WITNESS, 1}, {18, WEIGHTS, 7}, {12, M, 13}})));
        assertEquals(List.of(0, 1, 2), HidingBatch.chosen(today(p, new int[][] {{18, NARROW_WITNESS, 1}, {18, WEIGHTS, 11}, {13, M, 14}})));
        assertEquals(List.of(0, 1, 2), HidingBatch.chosen(today(p, new int[][] {{21, WITNESS, 1}, {20, WEIGHTS, 3}, {14, M, 15}})));
        for (int[][] model : new int[][][] {{{22, WITNESS, 1}, {18, WEIGHTS, 108}, {15, M, 16}}, {{22, WITNESS, 1}, {20, WEIGHTS, 39}, {14, M, 15}}}) {
            List<HidingBatch.Candidate> all = today(p, model);
            assertEquals(List.of(0, 1, 2), HidingBatch.chosen(all));
            // The control: with the unit the in-tail top's own codeword (one variable less) the cross values were not cheap.
            int own = all.getFirst().schedule().rounds().getFirst().logDomain();
            assertEquals(own + 1, HidingBatch.codewordVars(all.getFirst()));
            long reads = HidingBatch.crossReads(all);
            assertTrue(reads > (long) HidingBatch.MAX_CROSS_READS << own && reads <= (long) HidingBatch.MAX_CROSS_READS << own + 1, "reads " + reads);
        }
    }

    private static final int WITNESS = 0;
    private static final int NARROW_WITNESS = 1;
    private static final int WEIGHTS = 2;
    private static final int M = 3;

    /**
     * Candidates of {table variables, kind, claims} as a zero-knowledge proof commits them: the witness in its own tail for its
     * 2 units (narrow: {@link HidingLayout#tailNarrow}), one claim at a generic point; the weights at budget 1024, every claim
     * off their face; M narrow for one opening ({@link HidingLayout#narrow}), its claims on its face.
     */
    private static List<HidingBatch.Candidate> today(WhirParameters p, int[][] members) {
        List<HidingBatch.Candidate> out = new ArrayList<>();
        for (int[] a : members) {
            HidingLayout l = switch (a[1]) {
                case WITNESS -> HidingLayout.tail(p, a[0], 2);
                case NARROW_WITNESS -> HidingLayout.tailNarrow(p, a[0], 2, null);
                case WEIGHTS -> HidingLayout.of(p, a[0], 1024);
                default -> HidingLayout.narrow(p, a[0], 1, null);
            };
            out.add(new HidingBatch.Candidate(l, l.schedule(p), a[2], a[1] == WEIGHTS ? a[2] : 0, a[1] != WEIGHTS, l.budget()));
        }
        return out;
    }

    /**
     * The weights' bounds proof of embedding_model (`-Dverinfer.trace`): the weights (59 claims, 32 off the face), 32 bit
     * commitments of 16–20 table variables opened once off the face, and M (444 claims). By bytes alone all 34 shared one
     * run, whose cross values (every point at 33 other members of up to 2^21 entries) took 215 s of setup and ran out of a
     * 6 GB heap; the cap and the cross-value term keep it to a few members of cheap cross values.
     */
    @org.junit.jupiter.api.Test
    void aBoundsProofBatchesFewMembersWithCheapCrossValues() {
        WhirParameters p = WhirParameters.PROVEN;
        int[] bits = {20, 17, 20, 17, 20, 17, 20, 19, 20, 19, 20, 19, 20, 19, 20, 19, 20, 19, 20, 19, 20, 19, 20, 19, 19, 16, 18, 17, 18, 17, 20, 18};
        List<int[]> members = new ArrayList<>();
        members.add(new int[] {20, 1024, 59, 32});
        for (int n : bits) {
            members.add(new int[] {n, 2, 1, 1});
        }
        members.add(new int[] {13, 1, 444, 0});
        List<HidingBatch.Candidate> candidates = real(p, members.toArray(int[][]::new));
        List<Integer> chosen = HidingBatch.chosen(candidates);
        assertTrue(chosen.size() >= 2 && chosen.size() <= HidingBatch.MAX_MEMBERS, chosen.toString());
        assertTrue(HidingBatch.cheap(chosen.stream().map(candidates::get).toList()), chosen.toString());
        // The term has teeth: the weights with the first two 20-variable bit commitments read more than four of its codewords.
        assertFalse(HidingBatch.cheap(List.of(candidates.get(0), candidates.get(1), candidates.get(2))));
    }

    /** {@link HidingBatch.Span#freeAt} is the size of the block {@link Batching.Evaluator} reads at the point's lifted tail. */
    @org.junit.jupiter.api.Test
    void crossReadsCountTheBlocksTheEvaluatorReads() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 500; trial++) {
            int own = 1 + rng.nextInt(12);
            int top = own + rng.nextInt(4);
            int vars = 1 + rng.nextInt(top);
            Ext2[] point = new Ext2[own];
            int from = rng.nextInt(own + 1);
            int to = from + rng.nextInt(own - from + 1);
            for (int k = 0; k < own; k++) {
                point[k] = k < from ? Ext2.ZERO : k < to ? new Ext2(2 + rng.nextInt(1000), rng.nextInt(1000)) : rng.nextBoolean() ? Ext2.ONE : Ext2.ZERO;
            }
            HidingBatch.Span span = HidingBatch.Span.of(point);
            Batching.Block read = Batching.Block.of(Batching.tail(Batching.lift(point, top), vars));
            assertEquals(read.to() - read.from(), span.freeAt(own, vars), "own " + own + ", top " + top + ", vars " + vars + ", span " + span);
        }
    }

    /** Candidates of {table variables, budget (below 4: a commitment for one opening), claims, off-face claims}. */
    private static List<HidingBatch.Candidate> real(WhirParameters p, int[][] members) {
        List<HidingBatch.Candidate> out = new ArrayList<>();
        for (int[] a : members) {
            HidingLayout l = HidingLayout.of(p, a[0], a[1]);
            out.add(new HidingBatch.Candidate(l, l.schedule(p), a[2], a[3], a[1] < 4, l.budget()));
        }
        return out;
    }

    /** Whether every component's leaf holds a whole fibre of F's first fold: d_j + k₀_j ≥ k₀(top). */
    private static boolean fit(List<WhirHidingCommitment> cs) {
        return HidingBatch.fits(cs.stream().map(c -> c.layout).toList());
    }

    /** The smallest opening budget whose layout of an n-variable table has more than {@code vars} variables. */
    private static int smallestBudgetAbove(WhirParameters params, int n, int vars) {
        return IntStream.rangeClosed(1, 1 << 12).filter(b -> HidingLayout.of(params, n, b).vars() > vars).findFirst().orElseThrow();
    }

    /**
     * Rank gained on the tables f (each commitment's first 2^n coefficients of f′) by the proofs' batched runs beyond their
     * claims, every ĥ and g eliminated. Unknowns: each distinct commitment's f′, then per proof its members' g_j (mask
     * each first) or the one g of the top arity.
     */
    private static int rankGained(WhirParameters params, List<Proof> proofs, BatchMasking masking, SplittableRandom coins) {
        return rankGained(proofs, masking, (p, members, u, oneMaskAt) ->
                WhirOpeningExtractor.batched(params, members, u, oneMaskAt, masking, WhirOpeningExtractor.ModelCoins.random(coins)));
    }

    /** The rows of proof p's run over {@code members}, with u unknowns (the one mask at {@code oneMaskAt}). */
    private interface Rows {
        List<Row> of(int p, List<Member> members, int u, int oneMaskAt) throws Exception;
    }

    /**
     * The built run ({@link HidingBatch#open}) of each proof, verified, read by {@link WhirOpeningExtractor#batched} with the
     * verifier's coins and the proof's values: every row's functional must give its sent value on the true unknowns (f′ of each
     * commitment, each member's g: drawn at commit time for a commitment for one opening, captured as drawn otherwise).
     */
    private static Rows built(WhirParameters params, List<Proof> proofs, int[] counted) {
        return built(params, proofs, counted, null);
    }

    /**
     * {@link #built}, each fresh g shaped by the deviation to a window mask (its coefficients off the windows {@code shape} gives
     * for the member in this run zeroed before g is committed; null: the built dense g). A shaped g's coefficients off its
     * windows are known zeros, not nuisance: their columns are dropped, so the measure is the window mask's.
     */
    private static Rows built(WhirParameters params, List<Proof> proofs, int[] counted, UnaryOperator<List<int[]>> shape) {
        return built(params, proofs, counted, shape, false, null);
    }

    /** {@link #built}; {@code firstFold}: with F₁ whole's rows (values null, not checked); each built group added to {@code sent} if given. */
    private static Rows built(WhirParameters params, List<Proof> proofs, int[] counted, UnaryOperator<List<int[]>> shape, boolean firstFold,
                              List<WhirProof.Group> sent) {
        return (p, members, u, oneMaskAt) -> {
            WhirSchedule run = members.stream().map(m -> m.c().schedule).reduce((a, b) -> b.numVars() > a.numVars() ? b : a).orElseThrow();
            List<WindowMask> shapes = shape == null ? List.of() : members.stream().filter(m -> !m.c().once())
                    .map(m -> new WindowMask(m.vars(), shape.apply(WindowMask.of(m.c().schedule, run).windows()))).toList();
            Proof proof = proofs.get(p);
            List<List<PcsOpening>> openings = new ArrayList<>();
            List<PcsOpening> all = new ArrayList<>();
            for (int j = 0; j < proof.commitments().size(); j++) {
                WhirHidingCommitment c = proof.commitments().get(j);
                List<PcsOpening> os = proof.claims().get(j).stream().map(r -> new PcsOpening(c, r, c.evaluate(r))).toList();
                openings.add(os);
                all.addAll(os);
            }
            List<long[]> drawn = new ArrayList<>();
            dev.verinfer.transcript.Transcript t = WhirPcsTest.transcript();
            List<PcsClaim> claims = WhirPcsTest.claims(all);
            WhirTranscript.absorbClaims(t, params, claims);
            WhirProof.Group group = HidingBatch.open(t, openings, MerkleNode.PADDED, 0, new WhirProver.Deviation() {
                @Override
                public void mask(int g, long[] coefficients) {
                    if (shape != null) {
                        WindowMask w = shapes.get(drawn.size());
                        for (int i = 0; i < coefficients.length; i++) {
                            coefficients[i] = w.supports(i) ? coefficients[i] : 0;
                        }
                    }
                    drawn.add(coefficients.clone());
                }
            });
            WhirProof built = new WhirProof(List.of(group));
            assertEquals(built.groups().size(), 1);
            List<WhirVerifier.Coins> coins = new ArrayList<>();
            WhirVerifier.verify(params, MerkleNode.PADDED, WhirPcsTest.transcript(), claims, WhirPcsTest.parse(new WhirPcs(params), WhirPcsTest.bytes(built)), coins);
            List<Row> rows = WhirOpeningExtractor.batched(params, members, u, oneMaskAt, BatchMasking.EACH_FIRST,
                    WhirOpeningExtractor.ModelCoins.replayBatch(coins.getFirst()), group, firstFold);
            if (sent != null) {
                sent.add(group);
            }
            long[] unknowns = new long[u];
            int next = 0;
            for (Member m : members) {
                System.arraycopy(m.c().coefficients, 0, unknowns, m.fAt(), 1 << m.vars());
                long[] g = m.c().once() ? m.c().onceMask : m.c().carriedMask != null ? m.c().carriedMask : drawn.get(next++);
                System.arraycopy(g, 0, unknowns, m.gAt(), 1 << m.vars());
            }
            assertEquals(drawn.size(), next, "every g drawn is a member's");
            for (Row row : rows) {
                if (!row.what().startsWith("F1 ")) {
                    assertEquals(row.value(), row.apply(unknowns), row.what());
                }
            }
            counted[0] += rows.size();
            List<Row> restricted = rows;
            int fresh = 0;
            for (Member m : members) {
                if (shape == null || m.c().once()) {
                    continue;
                }
                WindowMask w = shapes.get(fresh++);
                counted[1]++;
                restricted = restricted.stream().map(row -> {
                    long[] c0 = row.c0().clone();
                    long[] c1 = row.c1().clone();
                    for (int i = 0; i < 1 << m.vars(); i++) {
                        if (!w.supports(i)) {
                            c0[m.gAt() + i] = 0;
                            c1[m.gAt() + i] = 0;
                        }
                    }
                    return new Row(row.what(), c0, c1, row.value());
                }).toList();
            }
            return restricted;
        };
    }

    /** The rows of each proof read once (a commitment for one opening is spent by its run), for two measures. */
    private static Rows memo(Rows source) {
        java.util.Map<Integer, List<Row>> read = new java.util.HashMap<>();
        return (p, members, u, oneMaskAt) -> {
            if (!read.containsKey(p)) {
                read.put(p, source.of(p, members, u, oneMaskAt));
            }
            return read.get(p);
        };
    }

    private static int rankGained(List<Proof> proofs, BatchMasking masking, Rows source) {
        return rankGained(proofs, masking, source, false);
    }

    /**
     * {@link #rankGained}; with {@code wholeTables}, zkmask24's measure of the masks alone: every coefficient of each f′ (f's and
     * ĥ's) is a table column and the rows that touch no g join the claims in the statement, so the gain is what the rows that
     * g masks reveal on f′ beyond f′'s own rows — independent of the slack ĥ has in a test with few proofs.
     */
    private static int rankGained(List<Proof> proofs, BatchMasking masking, Rows source, boolean wholeTables) {
        List<WhirHidingCommitment> distinct = proofs.stream().flatMap(p -> p.commitments().stream()).distinct().toList();
        int[] fAt = new int[distinct.size()];
        int u = 0;
        for (int c = 0; c < distinct.size(); c++) {
            fAt[c] = u;
            u += 1 << distinct.get(c).layout.vars();
        }
        List<List<Member>> runs = new ArrayList<>();
        int[] oneMaskAt = new int[proofs.size()];
        for (int p = 0; p < proofs.size(); p++) {
            Proof proof = proofs.get(p);
            List<Member> members = new ArrayList<>();
            int top = 0;
            for (int j = 0; j < proof.commitments().size(); j++) {
                WhirHidingCommitment c = proof.commitments().get(j);
                int gAt = u;
                if (masking == BatchMasking.EACH_FIRST) {
                    u += 1 << c.layout.vars();
                }
                members.add(new Member(c, proof.claims().get(j), fAt[distinct.indexOf(c)], gAt));
                top = Math.max(top, c.layout.vars());
            }
            oneMaskAt[p] = u;
            if (masking == BatchMasking.ONE_MASK) {
                u += 1 << top;
            }
            runs.add(members);
        }
        // Columns: masks first (ĥ of each commitment, every g), the tables' coefficients last. With ĥ in the table's tail
        // (HidingLayout.tail) the table is f′'s first 2^n − 2^d coefficients (f's values off the block), the rest f̂'s plus ĥ's.
        int[] column = new int[u];
        boolean[] table = new boolean[u];
        for (int c = 0; c < distinct.size(); c++) {
            HidingLayout l = distinct.get(c).layout;
            int columns = wholeTables ? 1 << l.vars() : (1 << l.tableVars()) - (l.inTail() ? 1 << l.tailVars() : 0);
            for (int i = 0; i < columns; i++) {
                table[fAt[c] + i] = true;
            }
        }
        boolean[] isF = new boolean[u]; // f′'s coefficients (ĥ's among them): a row on these alone is f′'s own
        for (int c = 0; c < distinct.size(); c++) {
            java.util.Arrays.fill(isF, fAt[c], fAt[c] + (1 << distinct.get(c).layout.vars()), true);
        }
        int nuisance = 0;
        for (int i = 0; i < u; i++) {
            if (!table[i]) {
                column[i] = nuisance++;
            }
        }
        int next = nuisance;
        for (int i = 0; i < u; i++) {
            if (table[i]) {
                column[i] = next++;
            }
        }
        WhirZeroKnowledgeTest.Echelon all = new WhirZeroKnowledgeTest.Echelon(nuisance, u - nuisance);
        WhirZeroKnowledgeTest.Echelon statement = new WhirZeroKnowledgeTest.Echelon(nuisance, u - nuisance);
        for (int p = 0; p < runs.size(); p++) {
            for (Member mj : runs.get(p)) {
                for (Ext2[] r : mj.claims()) {
                    Ext2[] mono = WhirOpeningExtractor.monomials(r);
                    long[] re = new long[u];
                    long[] im = new long[u];
                    for (int i = 0; i < mono.length; i++) {
                        re[column[mj.fAt() + i]] = mono[i].c0();
                        im[column[mj.fAt() + i]] = mono[i].c1();
                    }
                    for (long[] row : new long[][] {re, im}) {
                        all.add(row.clone());
                        // a tail member's claim reads the block: its value is masked, revealed, not given (by the whole-f′ measure it
                        // is f′'s own value, counted in its budget, as its leaves are)
                        if (wholeTables || !mj.c().layout.inTail()) {
                            statement.add(row);
                        }
                    }
                }
            }
            List<Row> rows;
            try {
                rows = source.of(p, runs.get(p), u, oneMaskAt[p]);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            for (Row row : rows) {
                boolean touchesG = false;
                for (int i = 0; i < u; i++) {
                    touchesG |= !table[i] && !isF[i] && (row.c0()[i] != 0 || row.c1()[i] != 0);
                }
                for (long[] part : new long[][] {row.c0(), row.c1()}) {
                    long[] r = new long[u];
                    for (int i = 0; i < u; i++) {
                        r[column[i]] = part[i];
                    }
                    if (wholeTables && !touchesG) {
                        statement.add(r.clone());
                    }
                    all.add(r);
                }
            }
        }
        return all.privateRank - statement.privateRank;
    }
}
