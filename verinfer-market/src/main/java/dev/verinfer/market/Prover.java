package dev.verinfer.market;

/** A registered prover: free stake, collateral locked on requests, and its record (served, failed, slashed). */
public record Prover(long stake, long collateral, long served, long failed, long slashed) {
    Prover withStake(long s) {
        return new Prover(s, collateral, served, failed, slashed);
    }

    Prover lockCollateral(long c) {
        return new Prover(stake - c, collateral + c, served, failed, slashed);
    }

    /** Collateral back to the stake after a served request. */
    Prover served(long c) {
        return new Prover(stake + c, collateral - c, served + 1, failed, slashed);
    }

    /** Collateral back to the stake, uncounted, when a workflow's failure cancels the lock. */
    Prover released(long c) {
        return new Prover(stake + c, collateral - c, served, failed, slashed);
    }

    /** Collateral gone after a slash. */
    Prover slashed(long c) {
        return new Prover(stake, collateral - c, served, failed + 1, slashed + 1);
    }
}
