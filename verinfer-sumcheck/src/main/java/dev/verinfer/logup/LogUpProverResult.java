package dev.verinfer.logup;

/** A LogUp proof and the claims it leaves (identical to what the verifier will return). */
public record LogUpProverResult(LogUpProof proof, LogUpClaims claims) {}
