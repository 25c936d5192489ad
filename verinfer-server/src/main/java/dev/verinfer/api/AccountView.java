package dev.verinfer.api;

import dev.verinfer.market.Prover;

/** {@code GET /v1/accounts/{id}}: free balance, the nonce its next transaction must carry, and its prover record (null if not a prover). */
public record AccountView(String id, long balance, long nonce, Prover prover) {
}
