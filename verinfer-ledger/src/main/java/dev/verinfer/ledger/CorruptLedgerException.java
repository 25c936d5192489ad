package dev.verinfer.ledger;

import java.io.IOException;

/** The journal or a snapshot is damaged in a way a crash cannot explain (not a torn last record): the ledger refuses to open. */
public final class CorruptLedgerException extends IOException {
    public CorruptLedgerException(String message) {
        super(message);
    }
}
