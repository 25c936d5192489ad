package dev.verinfer.market;

/**
 * Collateral taken from a prover, with its cause: {@code toVictim} went to the client
 * ({@code victim}), {@code toChallenger} to the challenger who caused it (empty and 0 if none),
 * the rest to the treasury; and the block it happened in.
 */
public record Slash(long requestId, String prover, long amount, String victim, long toVictim, String challenger, long toChallenger,
                    String cause, long height) {
}
