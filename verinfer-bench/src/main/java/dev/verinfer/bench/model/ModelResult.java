package dev.verinfer.bench.model;

import dev.verinfer.model.AccuracyReport;

/**
 * One model's benchmark: medians over the measured runs, in milliseconds. {@code status} is
 * "verified", "not provable yet: reason" or "failed: reason"; {@code commitmentSecurity} is the
 * {@link dev.verinfer.zkml.PcsSecurity} label the model was set up with; the proof columns are null unless the
 * model was proven, and everything after the failing step is null when a step failed. {@code proofBytesByPart} is where
 * the proof's bytes go (the prover's phases, then the commitment opening's parts prefixed "open: ", which are
 * inside "open"); empty unless proven. {@code proveMillis} is a whole proof, its randomness drawn and everything derived from it
 * made in the proof; for a zero-knowledge row {@code proveOnlineMillis} is a proof made from a {@link dev.verinfer.zkml.ProofMaskReserve}
 * prepared before its clock started (what a prover that prepares the next proof's reserve in the background pays per request)
 * and {@code proveOfflineMillis} that preparation (medians of their own runs), {@code reserveHeapBytes} the heap one reserve holds
 * (null for plain rows). {@code pairedOnlineOverPlain} (a zero-knowledge row measured with a plain key beside it, else null) is the
 * median over rounds of one plain proof and one proof from a reserve, in alternating order, of the round's online / plain ratio:
 * both proofs see the machine in the same state, where the rows' own medians are taken minutes apart.
 */
public record ModelResult(String model, String commitmentSecurity, String input, String calibrationInput, Long parameters, Integer quantisedOps,
                          Double compileMillis, Double ortMillis, Double integerMillis, AccuracyReport accuracy,
                          Double setupMillis, Double proveMillis, Double verifyMillis, Integer proofBytes,
                          Long peakProveHeapBytes, Double proveOverOrt, String status,
                          java.util.Map<String, Long> proofBytesByPart, Double proveOnlineMillis, Double proveOfflineMillis, Long reserveHeapBytes,
                          Double pairedOnlineOverPlain) {
    public ModelResult {
        proofBytesByPart = proofBytesByPart == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(proofBytesByPart));
    }

    public boolean verified() {
        return status.equals("verified");
    }
}
