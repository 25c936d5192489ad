package dev.verinfer.logup;

import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.sumcheck.SumcheckProof;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LogUp-GKR in zero knowledge ({@link LogUpMasking}): masked layer sumchecks and masked internal layer
 * values; complete, sound, readable, and the masked values distributed alike for two witnesses.
 */
class ZkLogUpTest {
    @Property(tries = 30)
    void maskedLayersVerifyAndGiveTheSameClaims(@ForAll @IntRange(min = 1, max = 2) int columns, @ForAll @IntRange(min = 0, max = 6) int tableVars,
                                                 @ForAll @IntRange(min = 1, max = 3) int groupCount, @ForAll boolean selectors,
                                                 @ForAll long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, columns, tableVars, LogUpTest.randomGroupVars(rng, groupCount, 7), selectors);
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        RevealingGkrCommitment c = new RevealingGkrCommitment();
        LogUpProverResult res = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c));
        assertEquals(s.shape().maxDepth() + 1, c.sumchecks.digests.size(), "one mask per GKR layer and one for the blinding step");
        LogUpClaims claims = LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), res.proof(), c.verifier());
        LogUpTest.callerChecks(claims, s.table(), s.multiplicities(), s.groups());
        // The encoding round-trips with the zero-knowledge flag.
        ProofWriter w = ProofWriter.begin("TEST", 1);
        res.proof().write(w);
        LogUpProof read = LogUpProof.read(ProofReader.open(w.toByteArray(), "TEST", 1), s.shape(), true);
        LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), read, c.verifier());
        // A masked proof is not accepted as a plain one, nor a plain one as masked.
        assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), res.proof()));
        LogUpProof plain = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables).proof();
        assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), plain, c.verifier()));
    }

    @Property(tries = 15)
    void alteredMaskedLayersAreRejected(@ForAll @IntRange(min = 2, max = 6) int tableVars, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, 1, tableVars, new int[] {tableVars, tableVars - 1}, false);
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        RevealingGkrCommitment c = new RevealingGkrCommitment();
        LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c)).proof();
        for (int i = 0; i < proof.layers().size(); i++) {
            LogUpProof.GkrLayer layer = proof.layers().get(i);
            for (int part = 0; part < 2; part++) {
                Ext2[] mask = layer.mask();
                mask[part] = mask[part].add(Ext2.random(rng));
                LogUpProof bad = withLayer(proof, i, new LogUpProof.GkrLayer(layer.sumcheck(), layer.evaluations(), mask));
                assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), bad, c.verifier()),
                        "layer " + i + (part == 0 ? " mask sum" : " mask evaluation"));
            }
            if (i > 0) {
                Ext2[][] rounds = layer.sumcheck().rounds();
                rounds[rng.nextInt(i)][0] = rounds[0][0].add(Ext2.random(rng));
                LogUpProof bad = withLayer(proof, i, new LogUpProof.GkrLayer(new SumcheckProof(rounds), layer.evaluations(), layer.mask()));
                assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), bad, c.verifier()), "layer " + i + " round");
            }
            Ext2[] evals = layer.evaluations();
            evals[rng.nextInt(evals.length)] = Ext2.random(rng);
            LogUpProof bad = withLayer(proof, i, new LogUpProof.GkrLayer(layer.sumcheck(), evals, layer.mask()));
            assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), bad, c.verifier()), "layer " + i + " evaluations");
        }
    }

    /** A value outside the table is caught with masked layers as without. */
    @Property(tries = 10)
    void aValueOutsideTheTableIsRejected(@ForAll @IntRange(min = 1, max = 6) int tableVars, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, 1, tableVars, new int[] {tableVars}, false);
        long[][] cols = s.groups().getFirst().columns().clone();
        cols[0] = cols[0].clone();
        cols[0][rng.nextInt(cols[0].length)] = (1L << tableVars) + rng.nextInt(1000);
        List<LookupWitness> bad = List.of(new LookupWitness(cols, null));
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        RevealingGkrCommitment c = new RevealingGkrCommitment();
        LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), bad, tables, new LogUpMasking(rng, c)).proof();
        assertThrows(LogUpRejectedException.class, () -> {
            LogUpClaims claims = LogUpVerifier.verify(LogUpTest.transcript(), LogUpShape.of(bad, tables), proof, c.verifier());
            LogUpTest.callerChecks(claims, s.table(), s.multiplicities(), bad);
        });
    }

    /** Layer masks other than the ones the prover used (a broken binding): the hidden offset no longer matches. */
    @Property(tries = 10)
    void anOffsetThatDoesNotMatchTheCommittedLayerMasksIsRejected(@ForAll @IntRange(min = 3, max = 6) int tableVars, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, 1, tableVars, new int[] {tableVars}, false);
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        RevealingGkrCommitment c = new RevealingGkrCommitment();
        LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c)).proof();
        assertTrue(!c.layerMasks.isEmpty(), "a tree of " + (tableVars + 1) + " variables has masked layers");
        Ext2[] first = c.layerMasks.getFirst();
        first[rng.nextInt(first.length)] = Ext2.random(rng);
        assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), proof, c.verifier()));
    }

    /** Every message of the blinding step, every root and layer-0 value, and the committed blinding: altered, rejected. */
    @Property(tries = 15)
    void alteredBlindingIsRejected(@ForAll @IntRange(min = 1, max = 6) int tableVars, @ForAll @IntRange(min = 0, max = 5) int groupVars,
                                   @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, 1, tableVars, new int[] {groupVars}, false);
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        RevealingGkrCommitment c = new RevealingGkrCommitment();
        LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c)).proof();
        LogUpProof.GkrLayer step = proof.blinding();
        assertTrue(step != null, "a tree of depth ≥ 1 is blinded");
        List<LogUpProof> bad = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            Ext2[] mask = step.mask();
            mask[part] = mask[part].add(Ext2.ONE);
            bad.add(withBlinding(proof, new LogUpProof.GkrLayer(step.sumcheck(), step.evaluations(), mask)));
        }
        Ext2[][] rounds = step.sumcheck().rounds();
        rounds[0][rng.nextInt(rounds[0].length)] = Ext2.random(rng);
        bad.add(withBlinding(proof, new LogUpProof.GkrLayer(new SumcheckProof(rounds), step.evaluations(), step.mask())));
        for (int k = 0; k < step.evaluations().length; k++) {
            Ext2[] evals = step.evaluations();
            evals[k] = evals[k].add(Ext2.ONE);
            bad.add(withBlinding(proof, new LogUpProof.GkrLayer(step.sumcheck(), evals, step.mask())));
        }
        Ext2[] layer0 = proof.layers().getFirst().evaluations();
        for (int k = 0; k < layer0.length; k++) {
            Ext2[] evals = layer0.clone();
            evals[k] = evals[k].add(Ext2.ONE);
            bad.add(withLayer(proof, 0, new LogUpProof.GkrLayer(proof.layers().getFirst().sumcheck(), evals, proof.layers().getFirst().mask())));
        }
        List<LogUpProof.Fraction> roots = new ArrayList<>(proof.roots());
        LogUpProof.Fraction r0 = roots.getFirst();
        roots.set(0, new LogUpProof.Fraction(r0.numerator().add(Ext2.ONE), r0.denominator()));
        bad.add(new LogUpProof(roots, proof.layers(), proof.groupEvaluations(), proof.tableEvaluations(), proof.blinding()));
        bad.add(new LogUpProof(proof.roots(), proof.layers(), proof.groupEvaluations(), proof.tableEvaluations()));
        for (int k = 0; k < bad.size(); k++) {
            LogUpProof b = bad.get(k);
            assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), b, c.verifier()), "alteration " + k);
        }
        // The committed blinding itself altered (a broken binding): B'(r), C'(r) no longer match it.
        Ext2[] committed = c.blinding.get(rng.nextInt(c.blinding.size()));
        committed[rng.nextInt(GkrBlinding.VALUES_PER_TREE)] = Ext2.random(rng);
        assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), proof, c.verifier()));
    }

    /**
     * The adversarial prover: any sent value — a root, a layer-0 or internal layer value, a blinding-step
     * value, a leaf value — overwritten (raised by one) before it is absorbed, everything after derived
     * honestly from it, with and without leaf masks: never accepted (with the caller's checks on the claims).
     */
    @Property(tries = 6)
    void anOverwrittenMessageWithAnHonestContinuationIsRejected(@ForAll @IntRange(min = 1, max = 4) int tableVars, @ForAll boolean leaves,
                                                                 @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, 2, tableVars, new int[] {tableVars + 1, 1}, true);
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        // Record every message and its length once, honestly.
        List<String> names = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        LeafMasks recordMasks = leaves ? leafMasks(s, rng) : null;
        LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, new RevealingGkrCommitment(recordMasks), recordMasks),
                b -> b, (message, values) -> {
                    names.add(message);
                    lengths.add(values.length);
                    return values;
                });
        assertTrue(names.containsAll(List.of("roots", "layer 0", "blinding", "group 0", "table 0")), names.toString());
        for (int m = 0; m < names.size(); m++) {
            for (int k = 0; k < lengths.get(m); k++) {
                String target = names.get(m);
                int index = k;
                LeafMasks masks = leaves ? leafMasks(s, rng) : null;
                RevealingGkrCommitment c = new RevealingGkrCommitment(masks);
                LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c, masks), b -> b,
                        (message, values) -> {
                            if (message.equals(target)) {
                                values = values.clone();
                                values[index] = values[index].add(Ext2.ONE);
                            }
                            return values;
                        }).proof();
                assertThrows(LogUpRejectedException.class, () -> {
                    LogUpClaims claims = LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), proof, c.verifier());
                    if (masks != null) {
                        maskedCallerChecks(claims, s, masks);
                    } else {
                        LogUpTest.callerChecks(claims, s.table(), s.multiplicities(), s.groups());
                    }
                }, target + "[" + index + "]");
            }
        }
    }

    /**
     * What constrains the blinding: it is committed before α, so a prover cannot fit it to the witness.
     * A blinding whose fractions do not sum to zero is rejected for an honest witness (the roots no
     * longer balance), and a zero-sum blinding does not rescue a value outside the table.
     */
    @Property(tries = 15)
    void aBlindingThatDoesNotSumToZeroIsRejected(@ForAll @IntRange(min = 1, max = 6) int tableVars, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, 1, tableVars, new int[] {tableVars}, false);
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        RevealingGkrCommitment c = new RevealingGkrCommitment();
        int tree = rng.nextInt(GkrBlinding.blindedTrees(s.shape()).length);
        LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c), b -> {
            b[tree][rng.nextInt(2)] = b[tree][0].add(Ext2.random(rng));
            return b;
        }, (message, values) -> values).proof();
        LogUpRejectedException e = assertThrows(LogUpRejectedException.class,
                () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), proof, c.verifier()));
        assertTrue(e.getMessage().contains("do not balance"), e.getMessage());
        // A zero c would blind nothing: the verifier's nonzero-denominator check refuses it.
        RevealingGkrCommitment c2 = new RevealingGkrCommitment();
        LogUpProof zero = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c2), b -> {
            b[tree][2] = Ext2.ZERO;
            b[tree][0] = Ext2.ZERO;
            return b;
        }, (message, values) -> values).proof();
        assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), zero, c2.verifier()));
    }

    @Test
    void blindingFractionsSumToZeroWithNonzeroDenominators() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trees = 1; trees < 6; trees++) {
            Ext2[][] b = GkrBlinding.draw(trees, rng);
            Ext2 sum = Ext2.ZERO;
            for (Ext2[] v : b) {
                assertTrue(!v[2].isZero() && !v[3].isZero());
                sum = sum.add(v[0].mul(v[2].inverse())).add(v[1].mul(v[3].inverse()));
            }
            assertEquals(Ext2.ZERO, sum);
        }
    }

    /**
     * Perfect hiding of the roots and layer 0: for any two witnesses whose trees balance, every blinding
     * of the first maps (c'_j = c_j·q_j/q'_j, b'_j = (p̂_j − p'_j·c'_j)/q'_j) to a valid blinding of the
     * second — c' nonzero, Σ b'/c' = 0 — giving the same layer-0 values, and the map is a bijection. So
     * the layer-0 values (and the roots they determine) are identically distributed for both.
     */
    @Property(tries = 200)
    void blindedLayerZeroValuesOfTwoWitnessesAreTranslatesUnderABijectionOfTheBlinding(@ForAll @IntRange(min = 1, max = 6) int trees,
                                                                                        @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Ext2[][] first = balancedLayerOne(trees, rng);
        Ext2[][] second = balancedLayerOne(trees, rng);
        Ext2[][] blinding = GkrBlinding.draw(trees, rng);
        Ext2[][] mapped = new Ext2[trees][];
        Ext2 sum = Ext2.ZERO;
        for (int t = 0; t < trees; t++) {
            Ext2[] shown = GkrBlinding.blind(first[t], blinding[t]);
            Ext2[] m = blinding[t].clone();
            for (int j = 0; j < 2; j++) {
                Ext2 p = second[t][j];
                Ext2 q = second[t][2 + j];
                m[2 + j] = shown[2 + j].mul(q.inverse());
                m[j] = shown[j].sub(p.mul(m[2 + j])).mul(q.inverse());
                assertTrue(!m[2 + j].isZero());
                sum = sum.add(m[j].mul(m[2 + j].inverse()));
            }
            mapped[t] = m;
            assertArrayEquals(shown, GkrBlinding.blind(second[t], m), "tree " + t);
        }
        assertEquals(Ext2.ZERO, sum, "the mapped blinding sums to zero: it is one the prover draws");
    }

    /** Random layer-1 values (p0, p1, q0, q1) of {@code trees} trees whose fractions sum to zero, q ≠ 0. */
    private static Ext2[][] balancedLayerOne(int trees, SplittableRandom rng) {
        Ext2[][] out = new Ext2[trees][4];
        Ext2 sum = Ext2.ZERO;
        for (int t = 0; t < trees; t++) {
            for (int k = 0; k < 4; k++) {
                out[t][k] = Ext2.random(rng);
            }
            sum = sum.add(out[t][0].mul(out[t][2].inverse())).add(out[t][1].mul(out[t][3].inverse()));
        }
        Ext2[] last = out[trees - 1];
        last[1] = sum.sub(last[1].mul(last[3].inverse())).neg().mul(last[3]);
        return out;
    }

    /**
     * Two witnesses of one shape (different rows looked up, different multiplicities): every root,
     * layer-0 value, blinding-step evaluation and masked layer-1 value is distributed alike for both and
     * uniformly over fresh masks; the unblinded roots (the same statistic on the plain proof) are one
     * fixed value per witness, which it tells apart.
     */
    @Test
    void rootsAndLayerValuesOfTwoWitnessesAreIdenticallyDistributed() {
        SplittableRandom rng = new SplittableRandom(3);
        int buckets = 16;
        int runs = 800;
        List<LogUpTest.Statement> witnesses = List.of(LogUpTest.statement(rng, 1, 4, new int[] {4, 3}, false),
                LogUpTest.statement(rng, 1, 4, new int[] {4, 3}, false));
        assertTrue(witnesses.get(0).shape().equals(witnesses.get(1).shape()));
        // Per witness, per observed value: (root P, root Q of each tree, layer-0 values, blinding-step values, layer-1 value).
        int observed = -1;
        long[][][] histograms = null;
        for (int run = 0; run < runs; run++) {
            for (int w = 0; w < 2; w++) {
                LogUpTest.Statement s = witnesses.get(w);
                List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
                LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, new RevealingGkrCommitment())).proof();
                List<Ext2> values = new ArrayList<>();
                for (LogUpProof.Fraction f : proof.roots()) {
                    values.add(f.denominator());
                }
                values.add(proof.roots().getFirst().numerator()); // the last root's numerator is fixed by the balance
                values.addAll(Arrays.asList(proof.layers().get(0).evaluations()));
                values.addAll(Arrays.asList(proof.blinding().evaluations()));
                values.addAll(Arrays.asList(proof.layers().get(1).evaluations()));
                if (histograms == null) {
                    observed = values.size();
                    histograms = new long[2][observed][buckets];
                }
                for (int v = 0; v < observed; v++) {
                    histograms[w][v][(int) (values.get(v).c0() & (buckets - 1))]++;
                }
            }
        }
        long[] uniform = new long[buckets];
        Arrays.fill(uniform, runs / buckets);
        for (int v = 0; v < observed; v++) {
            assertTrue(chiSquare(histograms[0][v], histograms[1][v]) < 50, "value " + v + ": " + Arrays.toString(histograms[0][v]) + " " + Arrays.toString(histograms[1][v]));
            assertTrue(chiSquare(histograms[0][v], uniform) < 50, "value " + v + ": " + Arrays.toString(histograms[0][v]));
        }
        // Without blinding the roots are a function of the witness: the same statistic sees it.
        long[] plain = new long[buckets];
        for (int run = 0; run < runs; run++) {
            LogUpTest.Statement s = witnesses.get(0);
            LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), List.of(new LogUpTable(s.table(), s.multiplicities()))).proof();
            plain[(int) (proof.roots().getFirst().denominator().c0() & (buckets - 1))]++;
        }
        assertTrue(chiSquare(plain, uniform) > 50, "unblinded roots are fixed: " + Arrays.toString(plain));
    }

    /** One-coefficient masks for every column, selector and multiplicity of {@code s} (the caller's, in a proof). */
    static LeafMasks leafMasks(LogUpTest.Statement s, SplittableRandom rng) {
        List<VanishingMask[]> groups = new ArrayList<>();
        for (LookupWitness w : s.groups()) {
            VanishingMask[] m = new VanishingMask[w.numColumns() + (w.hasSelector() ? 1 : 0)];
            for (int k = 0; k < m.length; k++) {
                m[k] = VanishingMask.random(1, rng);
            }
            groups.add(m);
        }
        return new LeafMasks(groups, List.of(VanishingMask.random(1, rng)));
    }

    /** The caller's checks on masked claims: each is its vector's T'(point) = T̃(point) + Z·R. */
    static void maskedCallerChecks(LogUpClaims claims, LogUpTest.Statement s, LeafMasks masks) throws LogUpRejectedException {
        TableClaim tc = claims.table();
        LogUpVerifier.checkPublicTable(tc, s.table());
        if (!Mle.evaluate(s.multiplicities(), tc.point()).add(masks.multiplicities().getFirst().offset(tc.point())).equals(tc.multiplicityEvaluation())) {
            throw new LogUpRejectedException("masked multiplicity evaluation");
        }
        for (int g = 0; g < s.groups().size(); g++) {
            GroupClaim gc = claims.groups().get(g);
            LookupWitness w = s.groups().get(g);
            VanishingMask[] m = masks.groups().get(g);
            for (int c = 0; c < w.numColumns(); c++) {
                if (!Mle.evaluate(w.columns()[c], gc.point()).add(m[c].offset(gc.point())).equals(gc.columnEvaluations()[c])) {
                    throw new LogUpRejectedException("group " + g + " masked column " + c);
                }
            }
            if (w.hasSelector() && !Mle.evaluate(w.selector(), gc.point()).add(m[w.numColumns()].offset(gc.point())).equals(gc.selectorEvaluation())) {
                throw new LogUpRejectedException("group " + g + " masked selector");
            }
        }
    }

    static int[] positiveGroupVars(SplittableRandom rng, int count, int maxVars) {
        int[] v = new int[count];
        for (int i = 0; i < count; i++) {
            v[i] = 1 + rng.nextInt(maxVars);
        }
        return v;
    }

    @Property(tries = 30)
    void maskedLeavesVerifyAndClaimTheMaskedVectors(@ForAll @IntRange(min = 1, max = 2) int columns, @ForAll @IntRange(min = 1, max = 6) int tableVars,
                                                    @ForAll @IntRange(min = 1, max = 3) int groupCount, @ForAll boolean selectors,
                                                    @ForAll long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, columns, tableVars, positiveGroupVars(rng, groupCount, 6), selectors);
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        LeafMasks masks = leafMasks(s, rng);
        RevealingGkrCommitment c = new RevealingGkrCommitment(masks);
        LogUpProverResult res = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c, masks));
        LogUpClaims claims = LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), res.proof(), c.verifier());
        maskedCallerChecks(claims, s, masks);
        assertThrows(LogUpRejectedException.class, () -> LogUpTest.callerChecks(claims, s.table(), s.multiplicities(), s.groups()),
                "the claims are on T', not on the plain vectors");
        ProofWriter w = ProofWriter.begin("TEST", 1);
        res.proof().write(w);
        LogUpProof read = LogUpProof.read(ProofReader.open(w.toByteArray(), "TEST", 1), s.shape(), true, true);
        maskedCallerChecks(LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), read, c.verifier()), s, masks);
        // Read or verified as a proof with unmasked leaves, it does not pass.
        assertThrows(Exception.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(),
                LogUpProof.read(ProofReader.open(w.toByteArray(), "TEST", 1), s.shape(), true, false), new RevealingGkrCommitment().verifier()));
    }

    /** Every leaf value, the leaf layers' values, and the committed leaf masks: altered, rejected. */
    @Property(tries = 15)
    void alteredMaskedLeavesAreRejected(@ForAll @IntRange(min = 1, max = 5) int tableVars, @ForAll boolean selectors, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, 2, tableVars, new int[] {tableVars + 1, 1}, selectors);
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        LeafMasks masks = leafMasks(s, rng);
        RevealingGkrCommitment c = new RevealingGkrCommitment(masks);
        LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c, masks)).proof();
        List<LogUpProof> bad = new ArrayList<>();
        for (int g = 0; g < proof.groupEvaluations().size(); g++) {
            for (int k = 0; k < proof.groupEvaluations().get(g).length; k++) {
                List<Ext2[]> evals = new ArrayList<>(proof.groupEvaluations());
                Ext2[] e = evals.get(g).clone();
                e[k] = e[k].add(Ext2.ONE);
                evals.set(g, e);
                bad.add(new LogUpProof(proof.roots(), proof.layers(), evals, proof.tableEvaluations(), proof.blinding()));
            }
        }
        for (int k = 0; k < 3; k++) {
            List<Ext2[]> evals = new ArrayList<>(proof.tableEvaluations());
            Ext2[] e = evals.getFirst().clone();
            e[k] = e[k].add(Ext2.ONE);
            evals.set(0, e);
            bad.add(new LogUpProof(proof.roots(), proof.layers(), proof.groupEvaluations(), evals, proof.blinding()));
        }
        LogUpProof.GkrLayer leafLayer = proof.layers().getLast();
        for (int k = 0; k < leafLayer.evaluations().length; k++) {
            Ext2[] evals = leafLayer.evaluations();
            evals[k] = evals[k].add(Ext2.ONE);
            bad.add(withLayer(proof, proof.layers().size() - 1, new LogUpProof.GkrLayer(leafLayer.sumcheck(), evals, leafLayer.mask())));
        }
        for (int k = 0; k < bad.size(); k++) {
            LogUpProof b = bad.get(k);
            assertThrows(LogUpRejectedException.class, () -> {
                LogUpClaims claims = LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), b, c.verifier());
                maskedCallerChecks(claims, s, masks);
            }, "alteration " + k);
        }
        // A committed leaf mask other than the one the prover used: the leaf offset no longer opens.
        Ext2[] r = c.leafMasks.get(rng.nextInt(c.leafMasks.size()));
        r[0] = r[0].add(Ext2.ONE);
        assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), proof, c.verifier()));
    }

    /** A value outside the table is caught with masked leaves as without (the caller checks the masked claims). */
    @Property(tries = 10)
    void aValueOutsideTheTableIsRejectedWithMaskedLeaves(@ForAll @IntRange(min = 1, max = 6) int tableVars, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, 1, tableVars, new int[] {tableVars}, false);
        long[][] cols = s.groups().getFirst().columns().clone();
        cols[0] = cols[0].clone();
        cols[0][rng.nextInt(cols[0].length)] = (1L << tableVars) + rng.nextInt(1000);
        LogUpTest.Statement forged = new LogUpTest.Statement(s.table(), List.of(new LookupWitness(cols, null)), s.multiplicities());
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        LeafMasks masks = leafMasks(forged, rng);
        RevealingGkrCommitment c = new RevealingGkrCommitment(masks);
        LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), forged.groups(), tables, new LogUpMasking(rng, c, masks)).proof();
        assertThrows(LogUpRejectedException.class, () -> maskedCallerChecks(LogUpVerifier.verify(LogUpTest.transcript(), forged.shape(), proof, c.verifier()),
                forged, masks));
    }

    @Test
    void leafMasksNeedBlocksOfTwoRowsOrMore() {
        SplittableRandom rng = new SplittableRandom(9);
        LogUpTest.Statement s = LogUpTest.statement(rng, 1, 3, new int[] {0}, false);
        LeafMasks masks = leafMasks(s, rng);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogUpProver.prove(LogUpTest.transcript(), s.groups(),
                List.of(new LogUpTable(s.table(), s.multiplicities())), new LogUpMasking(rng, new RevealingGkrCommitment(masks), masks)));
        assertTrue(e.getMessage().contains("at least two rows"), e.getMessage());
    }

    /**
     * Two witnesses of one shape: the leaf claims (columns, multiplicities), the leaf layer's values and
     * the roots are distributed alike and uniformly; without leaf masks the column claims are a
     * function of the witness at the (uniform) point, and so are not independent of it — the plain
     * leaf claim of a constant column is that constant.
     */
    @Test
    void leafClaimsOfTwoWitnessesAreIdenticallyDistributed() {
        SplittableRandom rng = new SplittableRandom(11);
        int buckets = 16;
        int runs = 800;
        long[][] table = {RangeTable.values(3)};
        List<LogUpTest.Statement> witnesses = new ArrayList<>();
        for (long value : new long[] {2, 5}) {
            long[] column = new long[8];
            Arrays.fill(column, value); // each witness looks up one value, 8 times
            List<LookupWitness> groups = List.of(LookupWitness.of(column));
            witnesses.add(new LogUpTest.Statement(table, groups, Multiplicities.count(table, groups)));
        }
        long[][][] masked = new long[2][4][buckets];
        for (int run = 0; run < runs; run++) {
            for (int w = 0; w < 2; w++) {
                LogUpTest.Statement s = witnesses.get(w);
                LeafMasks masks = leafMasks(s, rng);
                LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), List.of(new LogUpTable(s.table(), s.multiplicities())),
                        new LogUpMasking(rng, new RevealingGkrCommitment(masks), masks)).proof();
                Ext2[] observed = {proof.groupEvaluations().getFirst()[0], proof.tableEvaluations().getFirst()[1],
                        proof.layers().getLast().evaluations()[2], proof.roots().getFirst().denominator()};
                for (int v = 0; v < observed.length; v++) {
                    masked[w][v][(int) (observed[v].c0() & (buckets - 1))]++;
                }
            }
        }
        long[] uniform = new long[buckets];
        Arrays.fill(uniform, runs / buckets);
        for (int v = 0; v < 4; v++) {
            assertTrue(chiSquare(masked[0][v], masked[1][v]) < 50, "value " + v + ": " + Arrays.toString(masked[0][v]) + " " + Arrays.toString(masked[1][v]));
            assertTrue(chiSquare(masked[0][v], uniform) < 50, "value " + v + ": " + Arrays.toString(masked[0][v]));
        }
        LogUpTest.Statement s = witnesses.getFirst();
        LogUpProof plain = LogUpProver.prove(LogUpTest.transcript(), s.groups(), List.of(new LogUpTable(s.table(), s.multiplicities())),
                new LogUpMasking(rng, new RevealingGkrCommitment())).proof();
        assertEquals(Ext2.of(2), plain.groupEvaluations().getFirst()[0], "unmasked, the leaf claim of a constant column is the looked-up value");
    }

    static double chiSquare(long[] a, long[] b) {
        double stat = 0;
        for (int i = 0; i < a.length; i++) {
            double sum = a[i] + b[i];
            if (sum > 0) {
                stat += (a[i] - b[i]) * (double) (a[i] - b[i]) / sum;
            }
        }
        return stat;
    }

    static LogUpProof withLayer(LogUpProof p, int i, LogUpProof.GkrLayer layer) {
        List<LogUpProof.GkrLayer> layers = new ArrayList<>(p.layers());
        layers.set(i, layer);
        return new LogUpProof(p.roots(), layers, p.groupEvaluations(), p.tableEvaluations(), p.blinding());
    }

    static LogUpProof withBlinding(LogUpProof p, LogUpProof.GkrLayer step) {
        return new LogUpProof(p.roots(), p.layers(), p.groupEvaluations(), p.tableEvaluations(), step);
    }
}
