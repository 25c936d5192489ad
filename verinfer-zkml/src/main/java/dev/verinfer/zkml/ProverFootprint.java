package dev.verinfer.zkml;

/**
 * How big a proof of a graph is for the prover, from its proof plan, and the peak Java heap that
 * proving is estimated to need (for {@code verinfer inspect}, before a long run).
 *
 * @param tensorCells    every tensor of the graph padded to powers of two per dimension (the prover holds them all)
 * @param witnessEntries the packed witness polynomial (committed activations, limbs, multiplicities)
 * @param lookupLeaves   rows of every look-up column group and table in the one LogUp-GKR argument
 * @param witnessUsed    the witness slots its items fill (the rest of {@code witnessEntries} is the packing's tail)
 */
public record ProverFootprint(long tensorCells, long witnessEntries, long lookupLeaves, long witnessUsed) {
    /** Bytes of peak heap per unit of (tensor cells + witness entries + look-up leaves), and the fixed part. */
    static final long BYTES_PER_UNIT = 128, FIXED_BYTES = 96L << 20;

    /**
     * Estimated peak Java heap while proving, in bytes: 96 MB + 128 B × (tensorCells + witnessEntries
     * + lookupLeaves). Empirical: fitted to the peaks measured while proving the five real models
     * (alexa 136 MB, hey_mycroft 208 MB, melspectrogram 1.1 GB, embedding 2.0 GB, OCR classifier
     * 3.5 GB; -Xmx6–8g, JDK 25), which it matches within −8 % … +14 % (docs/quantised-ir.md).
     */
    public long estimatedPeakBytes() {
        return FIXED_BYTES + BYTES_PER_UNIT * (tensorCells + witnessEntries + lookupLeaves);
    }

    public static ProverFootprint of(ProvingKey key) {
        return of(key.plan());
    }

    /** The footprint of proving {@code graph}, from its proof plan alone (no setup: also for a graph too large to set up). */
    public static ProverFootprint of(dev.verinfer.model.quant.QuantGraph graph) {
        return of(new ProofPlan(graph));
    }

    private static ProverFootprint of(ProofPlan plan) {
        long cells = 0;
        for (var s : plan.shapes) {
            cells += 1L << s.numVars();
        }
        long leaves = 0;
        for (ProofPlan.Table t : plan.tables) {
            leaves += 1L << t.numVars();
            for (ProofPlan.Group g : t.groups()) {
                leaves += 1L << g.shape().numVars();
            }
        }
        long used = 0;
        for (ProofPlan.Item item : plan.items) {
            used += 1L << item.numVars();
        }
        return new ProverFootprint(cells, 1L << plan.witnessPacking.numVars(), leaves, used);
    }
}
