package dev.verinfer.market;

/** Collateral taken from a prover, with its cause, the wronged party's share and the block it happened in. */
public record Slash(long requestId, String prover, long amount, String victim, long toVictim, String cause, long height) {
}
