package dev.verinfer.logup;

import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.RevealingMaskCommitment;
import dev.verinfer.sumcheck.SumcheckProof;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** LogUp-GKR with zero-knowledge layer sumchecks ({@link LogUpMasking}): complete, sound, and readable. */
class ZkLogUpTest {
    @Property(tries = 30)
    void maskedLayersVerifyAndGiveTheSameClaims(@ForAll @IntRange(min = 1, max = 2) int columns, @ForAll @IntRange(min = 0, max = 6) int tableVars,
                                                 @ForAll @IntRange(min = 1, max = 3) int groupCount, @ForAll boolean selectors,
                                                 @ForAll long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        LogUpTest.Statement s = LogUpTest.statement(rng, columns, tableVars, LogUpTest.randomGroupVars(rng, groupCount, 7), selectors);
        List<LogUpTable> tables = List.of(new LogUpTable(s.table(), s.multiplicities()));
        RevealingMaskCommitment c = new RevealingMaskCommitment();
        LogUpProverResult res = LogUpProver.prove(LogUpTest.transcript(), s.groups(), tables, new LogUpMasking(rng, c));
        assertEquals(s.shape().maxDepth(), c.digests.size(), "one mask per GKR layer");
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
        RevealingMaskCommitment c = new RevealingMaskCommitment();
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
        RevealingMaskCommitment c = new RevealingMaskCommitment();
        LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), bad, tables, new LogUpMasking(rng, c)).proof();
        assertThrows(LogUpRejectedException.class, () -> {
            LogUpClaims claims = LogUpVerifier.verify(LogUpTest.transcript(), LogUpShape.of(bad, tables), proof, c.verifier());
            LogUpTest.callerChecks(claims, s.table(), s.multiplicities(), bad);
        });
    }

    static LogUpProof withLayer(LogUpProof p, int i, LogUpProof.GkrLayer layer) {
        List<LogUpProof.GkrLayer> layers = new ArrayList<>(p.layers());
        layers.set(i, layer);
        return new LogUpProof(p.roots(), layers, p.groupEvaluations(), p.tableEvaluations());
    }
}
