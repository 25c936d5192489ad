package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.List;

/** Pieces of the protocol's order shared by prover and verifier (docs/proof-system.md, "Order of the protocol"). */
final class Protocol {
    static final String DOMAIN = "verinfer-zkml-v1";

    private Protocol() {}

    static Transcript transcript(PublicStatement statement) {
        Transcript t = new Transcript(DOMAIN);
        statement.absorbInto(t);
        return t;
    }

    /**
     * Claims on every weight tensor, placed in the packed weight polynomial: a claim T(r) on a tensor (a point of
     * the tensor's own arity) is Σ_p eq(r_high, index_p)·P_p(r_low) over its pieces ({@link dev.verinfer.zkml.layout.WeightLayout}).
     */
    static List<ClaimBatching.SubcubeClaim> weightClaims(ProofPlan plan, ClaimBook book) {
        List<ClaimBatching.SubcubeClaim> out = new ArrayList<>();
        for (int slot = 0; slot < plan.weightTensors.size(); slot++) {
            int[] pieces = plan.weightLayout.piecesOf(slot);
            for (Claim c : book.tensor(plan.weightTensors.get(slot))) {
                List<ClaimBatching.Part> parts = new ArrayList<>();
                for (int item : pieces) {
                    int vars = plan.weightPacking.itemVars(item);
                    Ext2 coefficient = plan.weightLayout.coefficient(item, c.point());
                    parts.add(new ClaimBatching.Part(java.util.Arrays.copyOf(c.point(), vars), vars, plan.weightPacking.offset(item) >>> vars, coefficient));
                }
                out.add(new ClaimBatching.SubcubeClaim(parts, c.value()));
            }
        }
        out.addAll(book.onWeights()); // committed function tables' claims, after the weight tensors'
        return out;
    }

    /** Claims on every committed item, placed in the packed witness polynomial. */
    static List<ClaimBatching.SubcubeClaim> witnessClaims(ProofPlan plan, ClaimBook book) {
        List<ClaimBatching.SubcubeClaim> out = new ArrayList<>();
        for (int item = 0; item < plan.items.size(); item++) {
            int vars = plan.witnessPacking.itemVars(item);
            long block = plan.witnessPacking.offset(item) >>> vars;
            for (Claim c : book.item(plan, item)) {
                out.add(new ClaimBatching.SubcubeClaim(c.point(), vars, block, c.value()));
            }
        }
        return out;
    }

    /** The hidden offsets of {@link #witnessClaims}, in the same order ({@link HiddenOffset#NONE} for a plain claim). */
    static List<HiddenOffset> witnessOffsets(ProofPlan plan, ClaimBook book) {
        List<HiddenOffset> out = new ArrayList<>();
        for (int item = 0; item < plan.items.size(); item++) {
            for (Claim c : book.item(plan, item)) {
                out.add(book.offset(c));
            }
        }
        return out;
    }

    /**
     * The claims to open against a tensor's own commitment: those recorded for it separately (an
     * output whose claim also flows through the graph), and, for an input or a tensor the plan
     * defers, every claim the protocol left on it.
     */
    static List<Claim> ownClaims(ProofPlan plan, ClaimBook book, java.util.Map<Integer, List<Claim>> separate, int tensor) {
        List<Claim> all = new ArrayList<>(separate.getOrDefault(tensor, List.of()));
        boolean input = plan.graph.tensor(tensor).kind() == dev.verinfer.model.quant.QTensor.Kind.INPUT;
        if (input || plan.isCommitted(tensor)) {
            all.addAll(book.tensor(tensor));
        }
        return all;
    }
}
