package dev.verinfer.bench.core;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.BlockScaledProducts;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.MaskCommitter;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.transcript.Transcript;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The zero-knowledge proof's weight-claim batch Σ_x f·G + h·H on alexa_v0.1's shape (2^18 packed weights, its seven claims'
 * item blocks: one scalar, three of 128 entries, 2^14, 2^17 and 2^16): the statement's four tables (G and H built over 2^18)
 * against {@link BlockScaledProducts}' leading rounds (14 of 18 on G and f + z_k·h). The same proof either way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class WeightClaimsBench {
    static final int N = 18;
    static final int[][] BLOCKS = {{213376, 0}, {213248, 7}, {213120, 7}, {196608, 14}, {212992, 7}, {0, 17}, {131072, 16}};
    static final List<ProductTerm> TERMS = List.of(ProductTerm.of(Ext2.ONE, 0, 1), ProductTerm.of(Ext2.ONE, 2, 3));
    long[] f;
    long[] h;
    List<BlockScaledProducts.Block> blocks;
    Ext2 sum;
    SumcheckMask mask;

    /** Binds the mask by absorbing its constant only: the batch's cost is the rounds, not the mask's commitment. */
    static final MaskCommitter COMMITTER = new MaskCommitter() {
        @Override
        public void commit(Transcript t, SumcheckMask m) {
            t.absorbExt("bench-mask", m.constant());
        }

        @Override
        public void open(Transcript t, SumcheckMask m, Ext2[] point, Ext2 value) {}
    };

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        f = new long[1 << N];
        h = new long[1 << N];
        for (int i = 0; i < f.length; i++) {
            f[i] = Goldilocks.random(rng);
            h[i] = Goldilocks.random(rng);
        }
        blocks = new ArrayList<>();
        sum = Ext2.ZERO;
        for (int[] b : BLOCKS) {
            Ext2[] local = new Ext2[b[1]];
            for (int i = 0; i < local.length; i++) {
                local[i] = Ext2.random(rng);
            }
            BlockScaledProducts.Block block = new BlockScaledProducts.Block(b[0], Mle.eqTable(local, Ext2.random(rng)), Ext2.random(rng));
            blocks.add(block);
            for (int i = 0; i < block.g().length(); i++) {
                sum = sum.add(block.g().get(i).mul(Ext2.of(f[b[0] + i]).add(block.z().mul(Ext2.of(h[b[0] + i])))));
            }
        }
        mask = SumcheckMask.random(N, 2, rng);
    }

    @Benchmark
    public ZkSumcheckProverResult fourTables() {
        ExtVector g = ExtVector.zeros(1 << N);
        ExtVector hh = ExtVector.zeros(1 << N);
        for (BlockScaledProducts.Block b : blocks) { // as ZkWeightBatching.weightTables: one product per entry for each of G and H
            for (int i = 0; i < b.g().length(); i++) {
                long g0 = b.g().c0()[i];
                long g1 = b.g().c1()[i];
                g.c0()[b.offset() + i] = ExtMath.mulC0(g0, g1, 1, 0);
                g.c1()[b.offset() + i] = ExtMath.mulC1(g0, g1, 1, 0);
                hh.c0()[b.offset() + i] = ExtMath.mulC0(b.z().c0(), b.z().c1(), g0, g1);
                hh.c1()[b.offset() + i] = ExtMath.mulC1(b.z().c0(), b.z().c1(), g0, g1);
            }
        }
        return ZkSumcheckProver.prove(new Transcript("bench"), sum, List.of(new BaseTable(f), new ExtTable(g), new BaseTable(h), new ExtTable(hh)),
                TERMS, null, mask, COMMITTER);
    }

    @Benchmark
    public ZkSumcheckProverResult leadingRounds() {
        return ZkSumcheckProver.proveLeading(new Transcript("bench"), sum, BlockScaledProducts.of(f, h, blocks), TERMS, mask, COMMITTER);
    }
}
