package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.poly.Mle;
import dev.verinfer.zkml.layout.PolyPacking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Function tables committed with the weights (docs/proof-system.md, "Function tables committed with the weights"): a
 * {@code proven-evm} or {@code conjectured-evm} key (a key for the chain) without zero knowledge places every function table of its single-proof plan in the packed weight
 * polynomial's free tail — after the weight pieces, largest first, each at a multiple of its size, so each is a subcube
 * (fixed high bits {@link Entry#block}) — when all fit without raising the polynomial's arity. The weight bounds proof pins
 * those slots to the tables' values ({@link WeightBounds}: the term (1 − real)·W − T of its zero-check), so a look-up's
 * table claim T(r) on the values column is a claim on the weight polynomial at (r, block), batched and opened with the
 * weights' claims, instead of the verifier evaluating T's multilinear extension at r in every proof. A look-up table of
 * another plan (a batch's) is committed iff an entry holds an equal table; other keys have none ({@link #NONE}).
 */
record TableCommitment(List<Entry> entries) {
    /** A committed table: its values fill the weight polynomial's subcube of {@code vars} low variables whose high bits are {@code block}. */
    record Entry(LookupTable table, int vars, long block) {}

    static final TableCommitment NONE = new TableCommitment(List.of());

    TableCommitment {
        entries = List.copyOf(entries);
    }

    /** The tables {@code single} (a key's plan for one inference) commits, for a key of {@code security} and zero-knowledge choice. */
    static TableCommitment of(ProofPlan single, PcsSecurity security, boolean zeroKnowledge) {
        if (zeroKnowledge || !security.forChain() || single.weightTensors.isEmpty()) {
            return NONE;
        }
        List<ProofPlan.Table> functions = single.tables.stream().filter(t -> !t.isRange())
                .sorted(Comparator.comparingInt((ProofPlan.Table t) -> -t.numVars())).toList();
        PolyPacking weights = single.weightPacking;
        long next = 0; // the pieces are packed contiguously from 0 (PolyPacking)
        for (int i = 0; i < weights.items(); i++) {
            next += 1L << weights.itemVars(i);
        }
        List<Entry> out = new ArrayList<>();
        for (ProofPlan.Table t : functions) {
            long size = 1L << t.numVars();
            next = (next + size - 1) / size * size;
            if (next + size > 1L << weights.numVars()) {
                return NONE; // committing them would raise the arity: every proof's opening would grow
            }
            out.add(new Entry(t.function(), t.numVars(), next / size));
            next += size;
        }
        return new TableCommitment(out);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entry committing {@code table}'s values, or null when the verifier evaluates them itself. */
    Entry entry(ProofPlan.Table table) {
        if (table.isRange()) {
            return null;
        }
        for (Entry e : entries) {
            if (e.vars() == table.numVars() && e.table().equals(table.function())) {
                return e;
            }
        }
        return null;
    }

    /** T over the packed weight polynomial's 2^n slots: each table at its subcube, zero elsewhere. */
    long[] table(int n) {
        return fill(new long[1 << n]);
    }

    /** {@code packed} with the tables written into their subcubes (what setup commits). */
    long[] fill(long[] packed) {
        long[] out = packed.clone();
        for (Entry e : entries) {
            long[] v = ProverTensors.toField(e.table().values());
            System.arraycopy(v, 0, out, (int) (e.block() << e.vars()), v.length);
        }
        return out;
    }

    /** T's multilinear extension at a point of the weight polynomial's variables: Σ_e eq(point_high, block_e)·T̃_e(point_low), once per key. */
    Ext2 evaluate(Ext2[] point) {
        Ext2 sum = Ext2.ZERO;
        for (Entry e : entries) {
            Ext2 sel = Ext2.ONE;
            for (int j = e.vars(); j < point.length; j++) {
                sel = sel.mul(((e.block() >>> (j - e.vars())) & 1) == 1 ? point[j] : Ext2.ONE.sub(point[j]));
            }
            sum = sum.add(sel.mul(Mle.evaluate(ProverTensors.toField(e.table().values()), java.util.Arrays.copyOf(point, e.vars()))));
        }
        return sum;
    }

    /** A look-up's claim {@code value} = T_e(point) on the values column, as a claim on the packed weight polynomial. */
    static ClaimBatching.SubcubeClaim claim(Entry e, Ext2[] point, Ext2 value) {
        return new ClaimBatching.SubcubeClaim(point, e.vars(), e.block(), value);
    }
}
