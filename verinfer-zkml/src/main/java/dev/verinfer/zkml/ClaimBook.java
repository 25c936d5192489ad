package dev.verinfer.zkml;

import java.util.ArrayList;
import java.util.List;

/** Pending claims, per tensor and per committed auxiliary item, collected as the protocol walks the graph. */
final class ClaimBook {
    private final List<List<Claim>> byTensor = new ArrayList<>();
    private final List<List<Claim>> byItem = new ArrayList<>();

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
