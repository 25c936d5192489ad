package dev.verinfer.market;

/**
 * The proof contexts of the workflow {@link OpenWakeWordWorkflowTest} settles. The market binds
 * every step's proof to its request and prover ({@link ProofContext}), and proving the chain takes
 * minutes, so the shared chain ({@code OpenWakeWordChain}) is proven once per test JVM bound to these
 * contexts: the workflow is the fresh market's first submission, so step s is request
 * {@link #FIRST} + s, served by {@link #P1} (the mel step, even windows, the classifier) or
 * {@link #P2} (odd windows). The pipeline's own checks ({@code ChainVerifier}) do not look at contexts.
 */
public final class OpenWakeWordWorkflowContexts {
    /** The first request id of a fresh market. */
    static final long FIRST = 1;
    static final Signer P1 = Signer.generate(MarketDriver.CHAIN);
    static final Signer P2 = Signer.generate(MarketDriver.CHAIN);

    private OpenWakeWordWorkflowContexts() {
    }

    /** Who serves step {@code step}: window k (step 1 + k) by P1 when k is even, every other step by P1 too. */
    static Signer prover(int step) {
        return step >= 1 && (step - 1) % 2 == 1 ? P2 : P1;
    }

    /** The context step {@code step}'s proof is bound to. */
    public static byte[] context(int step) {
        return ProofContext.request(MarketDriver.CHAIN, FIRST + step, prover(step).accountId());
    }
}
