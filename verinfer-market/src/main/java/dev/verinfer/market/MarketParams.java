package dev.verinfer.market;

/**
 * The market's constitution, fixed at genesis. Fractions are in basis points (1/10000); durations
 * in ledger milliseconds. The economic argument these parameters must satisfy (every cheating
 * strategy loses in expectation) is {@link #bestCheatingGain}; the constructor refuses parameters
 * under which it would not be negative.
 *
 * @param chainId            bound into every signature (no replay across markets)
 * @param operator           the account allowed to sign deposits (the bridge to outside value) and to withdraw the treasury
 * @param floorBps           the auction starts at this fraction of the max fee
 * @param rampMillis         ... and reaches the max fee after this long
 * @param lockMillis         a locking prover must post its result within this long (and before the deadline)
 * @param collateralBps      collateral a lock takes from the prover's stake, as a fraction of the max fee (rounded up); OPTIMISTIC and SAMPLED take more, see {@link #collateral}
 * @param challengeBondBps   a challenger's bond, as a fraction of the max fee (rounded up)
 * @param responseMillis     a challenged prover must submit a valid proof within this long
 * @param protocolFeeBps     the treasury's share of the price after royalty
 * @param slashVictimBps     the share of slashed collateral paid to the client whose request failed; the rest, less a challenger's reward, to the treasury
 * @param minProverStake     a prover registers with at least this stake
 * @param minLockMillis      a request's deadline lies at least this far after its block, and a lock is refused with less time left (no griefing by deadlines no prover can meet)
 * @param maxDeadlineMillis  a request's deadline lies at most this far after its block (escrow cannot be parked forever)
 * @param minWindowMillis    the shortest challenge window (OPTIMISTIC) and proof window (SAMPLED) a request may ask for: watchers and provers need time
 * @param revealMillis       after a SAMPLED result is posted, its client has this long to reveal the secret that draws it; then the proof is demanded
 * @param challengeRewardBps the share of slashed collateral paid to the challenger who caused the slash (its bond is returned besides)
 * @param clientFaultBps     the share of the max fee a client pays the locking prover when the ledger finds the request's input unprovable
 * @param txFee              every transaction but the operator's pays this to the treasury, accepted or refused by the rules
 * @param txFeePerKiB        ... plus this per started KiB of its encoding (journal space is paid for)
 */
public record MarketParams(String chainId, String operator, int floorBps, long rampMillis, long lockMillis, int collateralBps,
                           int challengeBondBps, long responseMillis, int protocolFeeBps, int slashVictimBps, long minProverStake,
                           long minLockMillis, long maxDeadlineMillis, long minWindowMillis, long revealMillis,
                           int challengeRewardBps, int clientFaultBps, long txFee, long txFeePerKiB) {
    public MarketParams {
        for (int bps : new int[] {floorBps, collateralBps, challengeBondBps, protocolFeeBps, slashVictimBps, challengeRewardBps, clientFaultBps}) {
            if (bps < 0 || bps > 10_000) {
                throw new IllegalArgumentException("a fraction in basis points lies in 0..10000, not " + bps);
            }
        }
        if (rampMillis <= 0 || lockMillis <= 0 || responseMillis <= 0 || minProverStake < 0 || revealMillis <= 0 || minWindowMillis <= 0) {
            throw new IllegalArgumentException("durations must be positive and the minimum stake non-negative");
        }
        if (minLockMillis <= 0 || minLockMillis > lockMillis || maxDeadlineMillis < minLockMillis || maxDeadlineMillis > Mode.MAX_WINDOW_MILLIS) {
            throw new IllegalArgumentException("deadlines need 0 < minLockMillis <= lockMillis and minLockMillis <= maxDeadlineMillis <= " + Mode.MAX_WINDOW_MILLIS);
        }
        if (slashVictimBps + challengeRewardBps > 10_000) {
            throw new IllegalArgumentException("the client's and the challenger's shares of a slash exceed the whole: " + slashVictimBps + " + " + challengeRewardBps);
        }
        if (collateralBps == 0) {
            throw new IllegalArgumentException("a prover must lose something when caught: collateral > 0");
        }
        if (challengeRewardBps > 5_000) {
            throw new IllegalArgumentException("a challenger's reward above half the collateral (" + challengeRewardBps
                    + " bps) would make the optimistic collateral, more than maxFee / (1 - reward), exceed twice the max fee");
        }
        if (txFee < 0 || txFeePerKiB < 0 || txFee > Transitions.MAX_TOTAL || txFeePerKiB > Transitions.MAX_TOTAL) {
            throw new IllegalArgumentException("transaction fees lie in 0.." + Transitions.MAX_TOTAL);
        }
    }

    /** The original parameters with the economic ones at their defaults (see {@link #defaults}). */
    public MarketParams(String chainId, String operator, int floorBps, long rampMillis, long lockMillis, int collateralBps,
                        int challengeBondBps, long responseMillis, int protocolFeeBps, int slashVictimBps, long minProverStake) {
        this(chainId, operator, floorBps, rampMillis, lockMillis, collateralBps, challengeBondBps, responseMillis, protocolFeeBps, slashVictimBps,
                minProverStake, Math.min(1_000, lockMillis), Mode.MAX_WINDOW_MILLIS, 1_000, 10_000, 2_500, 1_000, 10, 1);
    }

    /**
     * Defaults for tests and demos: floor 50%, 10 s ramp, 60 s locks, 20% collateral, 10% bond, 30 s
     * to respond, 2% fee, 50% of a slash to the client and 25% to a challenger; deadlines 1 s to 30
     * days ahead, windows of at least 1 s, 10 s to reveal a sampling secret, 10% of the max fee for
     * an unprovable input, 10 units per transaction plus 1 per KiB.
     */
    public static MarketParams defaults(String chainId, String operator) {
        return new MarketParams(chainId, operator, 5_000, 10_000, 60_000, 2_000, 1_000, 30_000, 200, 5_000, 100);
    }

    /** The same without transaction fees (rule tests that count every unit). */
    public MarketParams withoutTxFees() {
        return new MarketParams(chainId, operator, floorBps, rampMillis, lockMillis, collateralBps, challengeBondBps, responseMillis, protocolFeeBps,
                slashVictimBps, minProverStake, minLockMillis, maxDeadlineMillis, minWindowMillis, revealMillis, challengeRewardBps, clientFaultBps, 0, 0);
    }

    /** What a transaction of {@code bytes} bytes pays (the operator's pay nothing). */
    public long txFeeFor(int bytes) {
        return txFee + txFeePerKiB * Math.ceilDiv(bytes, 1024);
    }

    /**
     * The collateral a lock on a request of {@code maxFee} in {@code mode} takes from the stake:
     * <ul>
     *   <li>ZK: {@code collateralBps} of the max fee (a wrong result is always caught; the collateral only answers for silence);</li>
     *   <li>OPTIMISTIC: at least the smallest K with (1 − challengeReward)·K > maxFee, so a prover that challenges its own wrong
     *       result from another account (and takes the challenger's reward) still loses more than any fee it could earn;</li>
     *   <li>SAMPLED(q): at least maxFee/q, so that cheating (gain at most the fee, caught with probability q, no bias) loses in expectation.</li>
     * </ul>
     */
    public long collateral(long maxFee, Mode mode) {
        long base = fractionRoundedUp(maxFee, collateralBps);
        return switch (mode) {
            case Mode.Zk() -> base;
            case Mode.Optimistic(long window) -> Math.max(base, Math.multiplyExact(maxFee, 10_000) / (10_000 - challengeRewardBps) + 1);
            case Mode.Sampled(int bps, long window) -> Math.max(base, Math.ceilDiv(Math.multiplyExact(maxFee, 10_000), bps));
        };
    }

    /**
     * The best expected gain, over honest service, of a prover that posts a wrong result for a
     * request of {@code maxFee} in {@code mode} (in units, rounded down: negative exactly when the
     * expected gain is): it saves at most the price
     * (at most the max fee) when not caught and loses its collateral, less what it can recover, when
     * caught, and is then not paid.
     * <ul>
     *   <li>ZK: the proof is checked before payment: −K.</li>
     *   <li>OPTIMISTIC (assumption: at least one honest watcher sees the result within the window and its challenge is
     *       included): caught surely; the best it can do is to challenge itself first and recover the challenger's reward:
     *       −(K − reward(K)).</li>
     *   <li>SAMPLED(q): the draw is unbiased (commit–reveal, see the package docs), so (1 − q)·maxFee − q·K.</li>
     * </ul>
     * Each is negative under any parameters the constructor accepts.
     */
    public long bestCheatingGain(long maxFee, Mode mode) {
        long k = collateral(maxFee, mode);
        return switch (mode) {
            case Mode.Zk() -> -k;
            case Mode.Optimistic(long window) -> -(k - fraction(k, challengeRewardBps));
            case Mode.Sampled(int bps, long window) ->
                    Math.floorDiv(Math.subtractExact(Math.multiplyExact(10_000L - bps, maxFee), Math.multiplyExact((long) bps, k)), 10_000);
        };
    }

    /** What a client that submits an unprovable input gains: it pays the prover's compensation and its transaction fee. */
    public long griefingClientGain(long maxFee, int txBytes) {
        return -(fraction(maxFee, clientFaultBps) + txFeeFor(txBytes));
    }

    static long fraction(long amount, int bps) {
        return Math.multiplyExact(amount, bps) / 10_000;
    }

    static long fractionRoundedUp(long amount, int bps) {
        return Math.ceilDiv(Math.multiplyExact(amount, bps), 10_000);
    }
}
