package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

/** The sumcheck's Fiat–Shamir schedule, shared by prover and verifier so they cannot drift apart. */
final class SumcheckTranscript {
    private SumcheckTranscript() {}

    /** Binds the statement's shape and claimed sum before any challenge. */
    static void begin(Transcript t, int numVars, int degree, Ext2 claimedSum) {
        t.absorbFields("sumcheck/shape", new long[] {numVars, degree});
        t.absorbExt("sumcheck/claim", claimedSum);
    }

    /** Absorbs one round message (values at 0, 2, …, d) and draws that round's challenge. */
    static Ext2 round(Transcript t, Ext2[] message) {
        t.absorbExts("sumcheck/round", message);
        return t.challengeExt("sumcheck/challenge");
    }
}
