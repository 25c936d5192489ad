package dev.verinfer.market;

/**
 * The market's constitution, fixed at genesis. Fractions are in basis points (1/10000); durations
 * in ledger milliseconds.
 *
 * @param chainId           bound into every signature (no replay across markets)
 * @param operator          the account allowed to sign deposits (the bridge to outside value)
 * @param floorBps          the auction starts at this fraction of the max fee
 * @param rampMillis        ... and reaches the max fee after this long
 * @param lockMillis        a locking prover must post its result within this long (and before the deadline)
 * @param collateralBps     collateral a lock takes from the prover's stake, as a fraction of the max fee (rounded up)
 * @param challengeBondBps  a challenger's bond, as a fraction of the max fee (rounded up)
 * @param responseMillis    a challenged prover must submit a valid proof within this long
 * @param protocolFeeBps    the treasury's share of the price after royalty
 * @param slashVictimBps    the share of slashed collateral paid to the wronged party (client or challenger); the rest goes to the treasury
 * @param minProverStake    a prover registers with at least this stake
 */
public record MarketParams(String chainId, String operator, int floorBps, long rampMillis, long lockMillis, int collateralBps,
                           int challengeBondBps, long responseMillis, int protocolFeeBps, int slashVictimBps, long minProverStake) {
    public MarketParams {
        for (int bps : new int[] {floorBps, collateralBps, challengeBondBps, protocolFeeBps, slashVictimBps}) {
            if (bps < 0 || bps > 10_000) {
                throw new IllegalArgumentException("a fraction in basis points lies in 0..10000, not " + bps);
            }
        }
        if (rampMillis <= 0 || lockMillis <= 0 || responseMillis <= 0 || minProverStake < 0) {
            throw new IllegalArgumentException("durations must be positive and the minimum stake non-negative");
        }
    }

    /** Defaults for tests and demos: floor 50%, 10 s ramp, 60 s locks, 20% collateral, 10% bond, 30 s to respond, 2% fee, 50% of a slash to the victim. */
    public static MarketParams defaults(String chainId, String operator) {
        return new MarketParams(chainId, operator, 5_000, 10_000, 60_000, 2_000, 1_000, 30_000, 200, 5_000, 100);
    }

    static long fraction(long amount, int bps) {
        return Math.multiplyExact(amount, bps) / 10_000;
    }

    static long fractionRoundedUp(long amount, int bps) {
        return Math.ceilDiv(Math.multiplyExact(amount, bps), 10_000);
    }
}
