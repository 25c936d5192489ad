package dev.verinfer.zkml;

import java.util.ArrayList;
import java.util.List;

/** Pending claims, per tensor and per committed auxiliary item, collected as the protocol walks the graph. */
final class ClaimBook {
    private final List<List<Claim>> byTensor = new ArrayList<>();
    private final List<List<Claim>> byItem = new ArrayList<>();
    /** The hidden offsets of masked claims (a zero-knowledge proof's look-up leaves); absent for a plain claim. */
    private final java.util.Map<Claim, HiddenOffset> offsets = new java.util.IdentityHashMap<>();
    /** Claims placed on the packed weight polynomial directly: committed function tables' ({@link TableCommitment}), in table order. */
    private final List<ClaimBatching.SubcubeClaim> onWeights = new ArrayList<>();

    ClaimBook(int tensors, int items) {
        for (int i = 0; i < tensors; i++) {
            byTensor.add(new ArrayList<>());
        }
        for (int i = 0; i < items; i++) {
            byItem.add(new ArrayList<>());
        }
    }

    void onTensor(int tensor, Claim claim) {
        byTensor.get(tensor).add(claim);
    }

    void onItem(int item, Claim claim) {
        byItem.get(item).add(claim);
    }

    void on(ProofPlan.Source source, Claim claim) {
        switch (source) {
            case ProofPlan.TensorSource t -> onTensor(t.tensor(), claim);
            case ProofPlan.ItemSource s -> onItem(s.item(), claim);
            case ProofPlan.BroadcastSource b -> onTensor(b.tensor(), new Claim(b.broadcast().operandPoint(claim.point()), claim.value()));
        }
    }

    /** Records a masked claim: its value is the polynomial's plus {@code offset}. */
    void on(ProofPlan.Source source, Claim claim, HiddenOffset offset) {
        Claim c = switch (source) {
            case ProofPlan.BroadcastSource b -> new Claim(b.broadcast().operandPoint(claim.point()), claim.value());
            default -> claim;
        };
        offsets.put(c, offset);
        switch (source) {
            case ProofPlan.TensorSource t -> onTensor(t.tensor(), c);
            case ProofPlan.ItemSource s -> onItem(s.item(), c);
            case ProofPlan.BroadcastSource b -> onTensor(b.tensor(), c);
        }
    }

    /** Marks {@code claim} as masked by {@code offset} (a merged claim that stands for a masked one). */
    void mask(Claim claim, HiddenOffset offset) {
        offsets.put(claim, offset);
    }

    /** The hidden offset of {@code claim}: {@link HiddenOffset#NONE} for a plain one. */
    HiddenOffset offset(Claim claim) {
        return offsets.getOrDefault(claim, HiddenOffset.NONE);
    }

    /**
     * The hidden offset a plain merge of {@code claims} carries: none when all are plain; a masked claim must be the tensor's
     * only one (several masked claims are merged by {@link ZkClaimMerge} or forwarded one by one instead; {@link ZeroKnowledge#uncovered}
     * refuses graphs that would need otherwise).
     */
    HiddenOffset soleOffset(List<Claim> claims) {
        boolean masked = claims.stream().anyMatch(c -> !offset(c).isNone());
        if (masked && claims.size() != 1) {
            throw new IllegalStateException("a masked claim on a tensor with " + claims.size() + " claims reached a plain merge (not zero-knowledge)");
        }
        return masked ? offset(claims.getFirst()) : HiddenOffset.NONE;
    }

    void onWeights(ClaimBatching.SubcubeClaim claim) {
        onWeights.add(claim);
    }

    List<ClaimBatching.SubcubeClaim> onWeights() {
        return onWeights;
    }

    List<Claim> tensor(int tensor) {
        return byTensor.get(tensor);
    }

    /** All claims on a committed item: its own, and those on the tensor it commits. */
    List<Claim> item(ProofPlan plan, int item) {
        List<Claim> all = new ArrayList<>(byItem.get(item));
        if (plan.items.get(item) instanceof ProofPlan.TensorItem t) {
            all.addAll(byTensor.get(t.tensor()));
        }
        return all;
    }
}
