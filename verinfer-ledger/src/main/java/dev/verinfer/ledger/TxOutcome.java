package dev.verinfer.ledger;

import java.util.Objects;

/** What became of one transaction of a block: accepted, or rejected with the reason (state unchanged apart from what the state machine documents, e.g. a consumed nonce). */
public record TxOutcome(Hash txHash, boolean accepted, String reason) {
    public TxOutcome {
        Objects.requireNonNull(txHash);
        reason = accepted ? "" : Objects.requireNonNull(reason);
    }

    public static TxOutcome accepted(Hash txHash) {
        return new TxOutcome(txHash, true, "");
    }

    public static TxOutcome rejected(Hash txHash, String reason) {
        return new TxOutcome(txHash, false, reason);
    }
}
