package dev.verinfer.logup;

import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.SumcheckProof;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

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
        assertEquals(s.shape().maxDepth(), c.sumchecks.digests.size(), "one mask per GKR layer");
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

    /**
     * Two witnesses of one shape (different rows looked up, different multiplicities): the masked
     * values of layer 1 are distributed alike and uniformly over fresh masks, while layer 0's (not
     * maskable) are one fixed value per witness, which the same statistic tells apart.
     */
    @Test
    void maskedLayerValuesOfTwoWitnessesAreIdenticallyDistributed() {
        SplittableRandom rng = new SplittableRandom(3);
        int buckets = 16;
        int runs = 800;
        long[][] layer1 = new long[2][buckets];
        long[][] layer0 = new long[2][buckets];
        List<LogUpTest.Statement> witnesses = List.of(LogUpTest.statement(rng, 1, 4, new int[] {4}, false),
                LogUpTest.statement(rng, 1, 4, new int[] {4}, false));
        for (int run = 0; run < runs; run++) {
            for (int w = 0; w < 2; w++) {
                LogUpTest.Statement s = witnesses.get(w);
                List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
                LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, new RevealingGkrCommitment())).proof();
                layer1[w][(int) (proof.layers().get(1).evaluations()[0].c0() & (buckets - 1))]++;
                layer0[w][(int) (proof.layers().get(0).evaluations()[0].c0() & (buckets - 1))]++;
            }
        }
        long[] uniform = new long[buckets];
        Arrays.fill(uniform, runs / buckets);
        assertTrue(chiSquare(layer1[0], layer1[1]) < 50, Arrays.toString(layer1[0]) + " " + Arrays.toString(layer1[1]));
        assertTrue(chiSquare(layer1[0], uniform) < 50, Arrays.toString(layer1[0]));
        assertTrue(chiSquare(layer0[0], uniform) > 50, "layer 0 is not maskable: " + Arrays.toString(layer0[0]));
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
        return new LogUpProof(p.roots(), layers, p.groupEvaluations(), p.tableEvaluations());
    }
}
