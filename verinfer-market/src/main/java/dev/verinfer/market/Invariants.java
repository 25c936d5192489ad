package dev.verinfer.market;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after every transition: value is conserved (balances, escrow, stakes,
 * collateral, challenge bonds and treasury add up to the net deposits), nothing is negative, each
 * prover's collateral is what its live locks posted, no request is paid twice and every settled
 * one exactly once, and every slash has a cause and is counted against its prover.
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
            if (r.status() == Request.Status.LOCKED || r.status() == Request.Status.POSTED || r.status() == Request.Status.PROOF_DUE) {
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
        }
        return out;
    }
}
