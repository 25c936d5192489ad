package dev.verinfer.bench.core;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import dev.verinfer.whir.WhirParameters;
import dev.verinfer.whir.WhirPcs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost of hiding WHIR commitments (ms per call): commit, open at one extension point, verify, for
 * plain and hiding commitments of 2^16 and 2^20 entries, proven and conjectured. A hiding commitment is
 * made as for a per-proof polynomial (budget 1 asked, so f′ has n + 1 variables and covers what those
 * allow: 27 or more openings here) from a SecureRandom, afresh (and opened once, for {@code verify})
 * every iteration, so the openings do not run out. The serialised proof size is printed once at setup.
 * {@code -p budget=1024 -p numVars=18} measures a registered zero-knowledge weight commitment of alexa_v0.1's
 * size (2^18 entries, 1024 openings: f′ has 19 variables and a first fold of one).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class HidingPcsBench {
    @Param({"16", "20"})
    public int numVars;

    @Param({"proven", "proven-hiding", "conjectured", "conjectured-hiding"})
    public String scheme;

    /** Openings the hiding commitment must cover (1: a per-proof polynomial; 1024: registered weights). */
    @Param({"1"})
    public int budget;

    MultilinearPcs pcs;
    boolean hiding;
    long[] table;
    Ext2[] point;
    SecureRandom random;
    List<PcsOpening> openings;
    List<PcsClaim> claims;
    PcsOpeningProof proof;

    @Setup
    public void setup() throws PcsRejectedException {
        pcs = new WhirPcs(scheme.startsWith("proven") ? WhirParameters.PROVEN : WhirParameters.CONJECTURED);
        hiding = scheme.endsWith("-hiding");
        random = new SecureRandom();
        SplittableRandom rng = new SplittableRandom(1);
        table = new long[1 << numVars];
        for (int i = 0; i < table.length; i++) {
            table[i] = Goldilocks.random(rng);
        }
        point = new Ext2[numVars];
        for (int j = 0; j < numVars; j++) {
            point[j] = Ext2.random(rng);
        }
        freshCommitment();
        verify();
        ProofWriter w = ProofWriter.begin("PCSB", 1);
        proof.write(w);
        String budget = openings.getFirst().commitment() instanceof HidingCommitment h ? ", budget " + h.openingBudget() : "";
        System.out.println("HidingPcsBench " + scheme + ": proof of one opening of a 2^" + numVars + " table: " + w.size() + " bytes" + budget);
    }

    @Setup(Level.Iteration)
    public void freshCommitment() {
        PcsCommitment c = commit();
        openings = List.of(new PcsOpening(c, point, Mle.evaluate(table, point)));
        claims = openings.stream().map(PcsOpening::claim).toList();
        proof = open();
    }

    @Benchmark
    public PcsCommitment commit() {
        return hiding ? pcs.commitHiding(table, budget, random) : pcs.commit(table);
    }

    @Benchmark
    public PcsOpeningProof open() {
        return pcs.open(new Transcript("pcs-bench"), openings);
    }

    @Benchmark
    public PcsOpeningProof verify() throws PcsRejectedException {
        pcs.verify(new Transcript("pcs-bench"), claims, proof);
        return proof;
    }
}
