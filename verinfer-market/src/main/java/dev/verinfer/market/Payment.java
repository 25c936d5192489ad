package dev.verinfer.market;

/** A settled request: the price and how it was split (the prover got price − royalty − protocol fee). */
public record Payment(long requestId, String prover, long price, long royalty, long protocolFee, long height) {
}
