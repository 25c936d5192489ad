package dev.verinfer.market;

/**
 * The proof contexts of the workflow {@link OpenWakeWordWorkflowTest} settles. The market binds
 * every step's proof to its request and prover ({@link ProofContext}), and proving the chain takes
 * minutes, so the shared chain ({@code OpenWakeWordChain}) is proven once per test JVM bound to these
 * contexts: the workflow is the fresh market's first submission, so step s is request
 * {@link #FIRST} + s, served by {@link #P1} (the mel step, even windows, window {@link #WRONG_WINDOW},
 * the classifier) or {@link #P2} (the other odd windows). P2 is slashed on window
 * {@link #WRONG_WINDOW}'s request (the test's step proven on another window), and a slashed prover
 * may not lock that request again, so P1 serves it. The pipeline's own checks
 * ({@code ChainVerifier}) do not look at contexts.
 */
public final class OpenWakeWordWorkflowContexts {
    /** The first request id of a fresh market. */
    static final long FIRST = 1;
    static final Signer P1 = Signer.generate(MarketDriver.CHAIN);
    static final Signer P2 = Signer.generate(MarketDriver.CHAIN);
    /** The window whose request P2 answers with another window's proof (and is slashed on). */
    static final int WRONG_WINDOW = 5;

    private OpenWakeWordWorkflowContexts() {
    }

    /** Who serves step {@code step}: window k (step 1 + k) by P2 when k is odd and not {@link #WRONG_WINDOW}, every other step by P1. */
    static Signer prover(int step) {
        int window = step - 1;
        return window >= 0 && window % 2 == 1 && window != WRONG_WINDOW ? P2 : P1;
    }

    /** The context step {@code step}'s proof is bound to. */
    public static byte[] context(int step) {
        return ProofContext.request(MarketDriver.CHAIN, FIRST + step, prover(step).accountId());
    }
}
