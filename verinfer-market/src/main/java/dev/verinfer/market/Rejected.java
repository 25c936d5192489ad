package dev.verinfer.market;

/** A transaction refused by the market's rules; the message is the reason recorded on the ledger. */
final class Rejected extends RuntimeException {
    Rejected(String reason) {
        super(reason, null, false, false);
    }

    static void unless(boolean ok, String reason) {
        if (!ok) {
            throw new Rejected(reason);
        }
    }
}
