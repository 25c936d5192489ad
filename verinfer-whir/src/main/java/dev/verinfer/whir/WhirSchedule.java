package dev.verinfer.whir;

import java.util.List;

/**
 * The iterations of one WHIR opening of an n-variable polynomial, derived from (n, parameters) alone so
 * prover and verifier agree without sending it.
 *
 * @param finalVars arity of the polynomial sent in the clear after the last iteration
 */
public record WhirSchedule(WhirParameters parameters, int numVars, List<Round> rounds, int finalVars) {
    /**
     * One iteration on the oracle f_i.
     *
     * @param vars      n_i, the arity of f_i
     * @param logDomain log2 |L_i|, the evaluation domain of f_i's codeword
     * @param fold      k_i, variables bound by this iteration's sumcheck (the fibre size is 2^k_i)
     * @param queries   t_i, shift queries drawn (independently, repeats allowed)
     * @param ood       out-of-domain samples of the next oracle f_{i+1} (0 in the last iteration)
     * @param powBits   proof-of-work bits ground before each of this iteration's folding challenges
     * @param combinePowBits proof-of-work bits ground before the combiner γ of the new constraints
     */
    public record Round(int vars, int logDomain, int fold, int queries, int ood, int powBits, int combinePowBits) {
        /** Number of fibres (Merkle leaves) of f_i's codeword: |L_i| / 2^k_i. */
        public int fibres() {
            return 1 << (logDomain - fold);
        }

        double logRate() {
            return vars - logDomain;
        }

        /** log2 of the list size ℓ at this iteration's δ ({@link WhirParameters#logList}). */
        double logList(WhirParameters p) {
            return p.logList(logDomain, logRate());
        }

        /**
         * log2 of the list size the combiner γ of this iteration's constraints on f_{i+1} faces: f_{i+1}'s (WHIR
         * Thm 5.2's ε^shift), never taken below f_i's (so the regimes whose list shrinks keep their schedules).
         */
        double combineLogList(WhirParameters p, int nextLogDomain) {
            return Math.max(logList(p), p.logList(nextLogDomain, vars - fold - nextLogDomain));
        }

        /** −log2 of the error of combining t + ood + 1 constraints by powers of γ: ℓ·(t + ood + 1)/|K|. */
        static double combineBits(int queries, int ood, double logList) {
            return WhirParameters.LOG_FIELD - logList - WhirParameters.log2(queries + ood + 1);
        }

        /**
         * −log2 of one folding round's error before grinding: 3ℓ/|K| (a degree-2 sumcheck message against
         * ℓ candidate codewords) plus the proximity-gap error of a 2-element line, a/|K| with a the line's
         * exceptional challenges ({@link WhirParameters#logLineExceptions}) over the iteration's whole domain
         * L_i (the fold's codes live on L_i^(2^s), no larger).
         */
        static double foldBits(WhirParameters p, int logDomain, double logRate, double logList) {
            double gap = p.logLineExceptions(logDomain, logRate);
            return -WhirParameters.log2(3 * Math.pow(2, logList - WhirParameters.LOG_FIELD) + Math.pow(2, gap - WhirParameters.LOG_FIELD));
        }
    }

    /** Out-of-domain samples taken of f_0 when it is committed. */
    public int commitOod() {
        return parameters.oodSamples();
    }

    /**
     * The soundness in bits: the minimum over WHIR's round-by-round errors (Thm 5.2) of −log2 ε, with
     * the errors of this regime as {@link WhirParameters} states them.
     */
    public double securityBits() {
        WhirParameters p = parameters;
        double min = Double.MAX_VALUE;
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            double logList = r.logList(p);
            double fold = Round.foldBits(p, r.logDomain(), r.logRate(), logList) + r.powBits();
            // Queries: (1 − δ)^t, behind queryPowBits of grinding; the combination of t + ood + 1 constraints: ℓ(t + ood + 1)/|K|.
            double query = r.queries() * p.bitsPerQuery(r.logDomain(), r.logRate()) + p.queryPowBits();
            min = Math.min(min, Math.min(fold, query));
            if (i < rounds.size() - 1) {
                double combine = Round.combineBits(r.queries(), r.ood(), r.combineLogList(p, rounds.get(i + 1).logDomain())) + r.combinePowBits();
                min = Math.min(min, combine);
            }
            int samples = i == 0 ? commitOod() : rounds.get(i - 1).ood();
            if (samples > 0) {
                // Out of domain: ℓ²·(2^n_i / 2|K|)^s.
                double ood = -(2 * logList + samples * (r.vars() - 1 - WhirParameters.LOG_FIELD));
                min = Math.min(min, ood);
            }
        }
        return min;
    }

    /**
     * Expected proof bytes of one opening: per iteration the sumcheck messages and next root (32 bytes), t
     * fibres (8 or 16 bytes per entry) and about t·(log2 fibres − log2 t) Merkle siblings of
     * {@link WhirParameters#digestBytes()} each; then the final coefficients.
     */
    public double estimatedBytes() {
        double bytes = 32;
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            int logFibres = r.logDomain() - r.fold();
            double t = Math.min(r.queries(), Math.pow(2, logFibres));
            bytes += 32.0 * r.fold() + 32 + 16.0 * r.ood() + (parameters.queryPowBits() > 0 ? 8 : 0) + t * ((i == 0 ? 8 : 16) << r.fold())
                    + parameters.digestBytes() * t * Math.max(0, logFibres - WhirParameters.log2(t));
        }
        return bytes + 16 * Math.pow(2, finalVars);
    }

    /**
     * An upper bound on the bytes of one opening, for bounding what a reader accepts: as
     * {@link #estimatedBytes()} but with every query's fibre and whole Merkle path sent (no shared
     * siblings, no repeated queries merged), generous sumcheck messages and grinding nonces, and slack.
     */
    public long maxBytes() {
        long bytes = 1024 + 16L * commitOod();
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            long t = r.queries();
            bytes += 64L * (r.fold() + 1) + 32 + 16L * r.ood() + 24 + t * ((i == 0 ? 8L : 16L) << r.fold())
                    + (long) parameters.digestBytes() * t * (r.logDomain() - r.fold() + 1);
        }
        return bytes + 16L * (1L << finalVars);
    }

    /**
     * An upper bound on the bytes of one hiding opening with {@code claims} claims, this schedule being
     * f′'s ({@link HidingLayout}, v variables): {@link #maxBytes()} plus the mask's root, values and
     * iteration-0 leaves with their whole paths, and a 16-byte salt per opened leaf.
     */
    public long maxHidingBytes(int claims) {
        Round leaves = rounds.getFirst(); // g's leaves are f′'s (HidingLayout.maskFunctionals)
        long maskFibres = (long) leaves.queries() * ((8L << leaves.fold()) + 16 + (long) parameters.digestBytes() * (leaves.logDomain() - leaves.fold() + 1));
        long mask = 64 + 16L * (commitOod() + 2L * HidingLayout.maskOod(this) + claims) + maskFibres;
        return maxBytes() + mask + 16L * totalQueries() + 64L * rounds.size();
    }

    /**
     * Proof-of-work bits ground before the combiner μ of a batch of m ≥ 2 codewords opened in one run
     * ({@link WhirParameters}, batching): F = Σ_j μ^j·f̃_j is a point on a curve of degree m − 1 through
     * the lifted codewords, so the proximity-gap error of iteration 0's line grows (m − 1)-fold
     * (BCIKS20 Thm 1.5 for curves; at the Johnson radius BCHKS25's count for curves, as Ethereum's
     * soundcalc sizes power batching; the conjectured list version up to capacity), and the constraints of
     * F — (m − 1)-degree in μ per list member — add ℓ·(m − 1)/|K|.
     */
    public int batchPowBits(int m) {
        return (int) Math.max(0, Math.ceil(parameters.securityBits() - batchBits(m)));
    }

    /** −log2 of the batching error before grinding (see {@link #batchPowBits}); infinite for m = 1. */
    double batchBits(int m) {
        if (m < 2) {
            return Double.POSITIVE_INFINITY;
        }
        Round r = rounds.getFirst();
        double logList = r.logList(parameters);
        double gap = Round.foldBits(parameters, r.logDomain(), r.logRate(), logList);
        double constraints = WhirParameters.LOG_FIELD - logList;
        return Math.min(gap, constraints) - WhirParameters.log2(m - 1) - 1;
    }

    /**
     * The soundness of a run opening m commitments together: {@link #securityBits()}, the batching step's,
     * and in the list regimes that a lifted codeword's list names one polynomial whatever it is batched
     * with: the lists of its lifts for all d ≤ 28 number ≤ 29ℓ, and the commitment's out-of-domain answers
     * (fixed before any d) separate them except with (29ℓ)²·(2^n/|K|)^s ({@link WhirParameters}, batching).
     */
    public double securityBits(int m) {
        double bits = Math.min(securityBits(), batchBits(m) + batchPowBits(m));
        if (m < 2 || commitOod() == 0) {
            return bits;
        }
        double lift = -(2 * (WhirParameters.log2(29) + rounds.getFirst().logList(parameters)) + commitOod() * (numVars - WhirParameters.LOG_FIELD));
        return Math.min(bits, lift);
    }

    /** Total shift queries drawn, over all iterations. */
    public int totalQueries() {
        return rounds.stream().mapToInt(Round::queries).sum();
    }
}
