package dev.verinfer.bench.core;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.TensorPcs;
import dev.verinfer.pcs.TensorPcsParameters;
import dev.verinfer.whir.WhirParameters;
import dev.verinfer.whir.WhirPcs;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The commitment schemes on a 2^20-entry table (ms per call): commit, open at one extension point,
 * verify; WHIR and the tensor code, each with its proven and conjectured parameters. The serialised
 * proof size is printed once at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PcsBench {
    static final int NUM_VARS = 20;

    @Param({"whir-proven", "whir-proven-unique", "whir-conjectured", "tensor-proven", "tensor-conjectured"})
    public String scheme;

    MultilinearPcs pcs;
    long[] table;
    PcsCommitment commitment;
    List<PcsOpening> openings;
    List<PcsClaim> claims;
    PcsOpeningProof proof;

    @Setup
    public void setup() throws PcsRejectedException {
        pcs = switch (scheme) {
            case "whir-proven" -> new WhirPcs(WhirParameters.PROVEN);
            case "whir-proven-unique" -> new WhirPcs(WhirParameters.PROVEN_UNIQUE);
            case "whir-conjectured" -> new WhirPcs(WhirParameters.CONJECTURED);
            case "tensor-proven" -> new TensorPcs(TensorPcsParameters.STANDARD);
            case "tensor-conjectured" -> new TensorPcs(TensorPcsParameters.CONJECTURED);
            default -> throw new IllegalArgumentException("unknown scheme " + scheme);
        };
        SplittableRandom rng = new SplittableRandom(1);
        table = new long[1 << NUM_VARS];
        for (int i = 0; i < table.length; i++) {
            table[i] = Goldilocks.random(rng);
        }
        Ext2[] point = new Ext2[NUM_VARS];
        for (int j = 0; j < NUM_VARS; j++) {
            point[j] = Ext2.random(rng);
        }
        commitment = pcs.commit(table);
        openings = List.of(new PcsOpening(commitment, point, Mle.evaluate(table, point)));
        claims = openings.stream().map(PcsOpening::claim).toList();
        proof = open();
        verify();
        ProofWriter w = ProofWriter.begin("PCSB", 1);
        proof.write(w);
        System.out.println("PcsBench " + scheme + ": proof of one opening of a 2^" + NUM_VARS + " table: " + w.size() + " bytes");
    }

    @Benchmark
    public PcsCommitment commit() {
        return pcs.commit(table);
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
