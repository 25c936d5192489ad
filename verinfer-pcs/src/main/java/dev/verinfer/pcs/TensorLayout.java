package dev.verinfer.pcs;

/**
 * How an n-variable table is laid out: a 2^a × 2^b row-major matrix (index = row·2^b + col, so the
 * low b variables pick the column), each row RS-encoded to 2^(b+k) symbols at rate 2^−k. A function
 * of (n, parameters) only, so prover and verifier agree without sending it.
 */
record TensorLayout(int numVars, int logCols, int logInverseRate) {
    /** Largest supported arity; the codeword length stays within {@link dev.verinfer.merkle.MerkleTree#MAX_LEAVES}. */
    static final int MAX_NUM_VARS = 30;
    private static final int MAX_LOG_CODEWORD = 24;

    static TensorLayout of(int numVars, TensorPcsParameters p) {
        if (numVars < 0 || numVars > MAX_NUM_VARS) {
            throw new IllegalArgumentException("number of variables " + numVars + " outside [0, " + MAX_NUM_VARS + "]");
        }
        int k = p.logInverseRate();
        int best = 0;
        double bestSize = Double.MAX_VALUE;
        for (int b = 0; b <= Math.min(numVars, MAX_LOG_CODEWORD - k); b++) {
            double size = estimatedProofBytes(numVars, b, k, p.queries());
            if (size < bestSize) {
                bestSize = size;
                best = b;
            }
        }
        return new TensorLayout(numVars, best, k);
    }

    /**
     * Proof bytes for one opening: two extension rows (proximity and evaluation, 16 bytes per entry),
     * q = min(t, 2^(b+k)) opened columns of 2^a base elements, and about q·(b + k − log2 q) Merkle
     * siblings. Rows grow with 2^b and columns with 2^a = 2^(n−b); the minimum sits near 2^(2b) ≈ t·2^n/4.
     */
    private static double estimatedProofBytes(int n, int b, int k, int t) {
        double q = Math.min(t, Math.scalb(1.0, b + k));
        double siblings = q * Math.max(0, b + k - Math.log(q) / Math.log(2));
        return 2 * 16 * Math.scalb(1.0, b) + q * 8 * Math.scalb(1.0, n - b) + 32 * siblings;
    }

    int logRows() {
        return numVars - logCols;
    }

    int rows() {
        return 1 << logRows();
    }

    int cols() {
        return 1 << logCols;
    }

    int codewordLength() {
        return 1 << (logCols + logInverseRate);
    }
}
