package dev.verinfer.market;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after every transition: value is conserved (balances, escrow, stakes,
 * collateral, challenge bonds and treasury add up to the net deposits, which stay within the
 * market's bound), nothing is negative, each prover's collateral is what its live locks posted, no
 * request is paid twice and every settled one exactly once, every slash has a cause, is counted
 * against its prover and pays out no more than it took, no prover holds a lock on a request it was
 * slashed on, a pending sampling draw belongs to a live SAMPLED request not yet drawn, and each
 * workflow's steps stand as its rules allow (see {@link #violations}).
 */
public final class Invariants {
    private Invariants() {
    }

    /** The violated invariants, each described; empty if all hold. */
    public static List<String> violations(MarketState s) {
        List<String> out = new ArrayList<>();
        long balances = 0;
        for (var e : s.accounts.entrySet()) {
            balances += e.getValue().balance();
            if (e.getValue().balance() < 0) {
                out.add("account " + e.getKey() + " has a negative balance " + e.getValue().balance());
            }
        }
        long escrow = 0;
        long bonds = 0;
        Map<String, Long> liveCollateral = new HashMap<>();
        for (Request r : s.requests.values()) {
            escrow += r.escrow();
            if (r.status() == Request.Status.PROOF_DUE) {
                bonds += r.dispute().bond();
            }
            if (r.status().holdsCollateral()) {
                liveCollateral.merge(r.lock().prover(), r.lock().collateral(), Long::sum);
            }
        }
        long stakes = 0;
        long collateral = 0;
        Map<String, Long> slashCount = new HashMap<>();
        for (Slash sl : s.slashes) {
            slashCount.merge(sl.prover(), 1L, Long::sum);
            if (sl.cause().isBlank()) {
                out.add("slash of " + sl.prover() + " on request " + sl.requestId() + " has no cause");
            }
            if (!s.requests.containsKey(sl.requestId())) {
                out.add("slash of " + sl.prover() + " names an unknown request " + sl.requestId());
            }
            if (sl.toVictim() < 0 || sl.toChallenger() < 0 || sl.toVictim() + sl.toChallenger() > sl.amount()) {
                out.add("slash of " + sl.prover() + " on request " + sl.requestId() + " pays out " + sl.toVictim() + " + " + sl.toChallenger()
                        + " of " + sl.amount());
            }
        }
        for (var e : s.provers.entrySet()) {
            Prover p = e.getValue();
            stakes += p.stake();
            collateral += p.collateral();
            if (p.stake() < 0 || p.collateral() < 0) {
                out.add("prover " + e.getKey() + " has negative stake or collateral: " + p);
            }
            long live = liveCollateral.getOrDefault(e.getKey(), 0L);
            if (p.collateral() != live) {
                out.add("prover " + e.getKey() + " holds collateral " + p.collateral() + " but its live locks posted " + live);
            }
            if (p.slashed() != slashCount.getOrDefault(e.getKey(), 0L)) {
                out.add("prover " + e.getKey() + " counts " + p.slashed() + " slashes but the ledger records " + slashCount.getOrDefault(e.getKey(), 0L));
            }
        }
        long total = balances + escrow + stakes + collateral + bonds + s.treasury;
        if (total != s.netDeposits() || s.treasury < 0) {
            out.add("value not conserved: balances " + balances + " + escrow " + escrow + " + stakes " + stakes + " + collateral " + collateral
                    + " + bonds " + bonds + " + treasury " + s.treasury + " = " + total + ", net deposits " + s.netDeposits());
        }
        if (s.netDeposits() > Transitions.MAX_TOTAL) {
            out.add("net deposits " + s.netDeposits() + " exceed the market's bound " + Transitions.MAX_TOTAL);
        }
        for (Request r : s.requests.values()) {
            if (r.status().holdsCollateral() && s.slashedOn(r.id(), r.lock().prover())) {
                out.add("request " + r.id() + " is held by " + r.lock().prover() + ", which was slashed on it");
            }
        }
        for (long id : s.samples.keySet()) {
            Request r = s.requests.get(id);
            if (r == null || !(r.mode() instanceof Mode.Sampled)
                    || !(r.status() == Request.Status.OPEN || r.status() == Request.Status.LOCKED || r.status() == Request.Status.POSTED)) {
                out.add("a sampling draw is pending for request " + id + ", which is " + (r == null ? "unknown" : r.mode() + " " + r.status()));
            }
        }
        Set<Long> paid = new HashSet<>();
        for (Payment p : s.payments) {
            if (!paid.add(p.requestId())) {
                out.add("request " + p.requestId() + " paid twice");
            }
        }
        for (Request r : s.requests.values()) {
            if ((r.status() == Request.Status.SETTLED) != paid.contains(r.id())) {
                out.add("request " + r.id() + " is " + r.status() + (paid.contains(r.id()) ? " but was paid" : " but has no payment"));
            }
            if (r.workflowId() == 0 && (r.status() == Request.Status.WAITING || r.status() == Request.Status.VERIFIED)) {
                out.add("request " + r.id() + " is " + r.status() + " outside a workflow");
            }
        }
        s.workflows.values().forEach(w -> workflow(s, w, out));
        return out;
    }

    /**
     * A workflow's steps are its requests, ZK, committing their outputs exactly when a later step
     * takes them; active, none has ended, a step waits exactly while a
     * predecessor has not verified, and a step past waiting took its predecessors' output roots as
     * its input; settled, every step was paid in one block; failed, every step has ended and one
     * was refunded.
     */
    private static void workflow(MarketState s, Workflow w, List<String> out) {
        List<Request> steps = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            Request r = s.requests.get(w.request(i));
            if (r == null || r.workflowId() != w.id()) {
                out.add("workflow " + w.id() + " step " + i + " is not its request " + w.request(i));
                return;
            }
            if (r.outputCommitted() != w.consumed(i) || !(r.mode() instanceof Mode.Zk)) {
                out.add("workflow " + w.id() + " step " + i + " is " + r.mode() + " and commits its output: " + r.outputCommitted()
                        + ", though a later step takes it: " + w.consumed(i));
            }
            steps.add(r);
        }
        switch (w.status()) {
            case ACTIVE -> {
                for (int i = 0; i < w.size(); i++) {
                    Request r = steps.get(i);
                    boolean ready = w.predecessors(i).stream().allMatch(p -> steps.get(p).status() == Request.Status.VERIFIED);
                    if (r.status().isFinal() || (r.status() == Request.Status.WAITING) == ready) {
                        out.add("active workflow " + w.id() + " has step " + i + " " + r.status() + " with its predecessors " + (ready ? "" : "not ") + "verified");
                    }
                    if (r.status() != Request.Status.WAITING && ready) {
                        chained(w, i, steps, out);
                    }
                }
            }
            case SETTLED -> {
                if (!steps.stream().allMatch(r -> r.status() == Request.Status.SETTLED)) {
                    out.add("settled workflow " + w.id() + " has unsettled steps");
                }
                if (s.payments.stream().filter(p -> p.requestId() >= w.firstRequest() && p.requestId() < w.firstRequest() + w.size())
                        .map(Payment::height).distinct().count() != 1) {
                    out.add("settled workflow " + w.id() + " was not paid in one block");
                }
                for (int i = 0; i < w.size(); i++) {
                    chained(w, i, steps, out);
                }
            }
            case FAILED -> {
                if (!steps.stream().allMatch(r -> r.status().isFinal()) || steps.stream().noneMatch(r -> r.status() == Request.Status.REFUNDED)) {
                    out.add("failed workflow " + w.id() + " has steps that have not ended, or none refunded");
                }
            }
        }
    }

    /** Step {@code i}'s input roots are its client roots and its predecessors' output roots, as its input names them. */
    private static void chained(Workflow w, int i, List<Request> steps, List<String> out) {
        List<Tx.TensorRef> refs = w.inputs().get(i);
        List<byte[]> roots = steps.get(i).inputRoots();
        if (roots.size() != refs.size()) {
            out.add("workflow " + w.id() + " step " + i + " has " + roots.size() + " input roots for " + refs.size() + " committed tensors");
            return;
        }
        for (int k = 0; k < refs.size(); k++) {
            byte[] expected = switch (refs.get(k)) {
                case Tx.TensorRef.Root(byte[] root) -> root;
                case Tx.TensorRef.Output(int from, int tensor) -> steps.get(from).result().outputRoots().get(tensor);
            };
            if (!Arrays.equals(expected, roots.get(k))) {
                out.add("workflow " + w.id() + " step " + i + " input " + k + " is not the root its input names");
            }
        }
    }
}
