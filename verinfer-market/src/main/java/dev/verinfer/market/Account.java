package dev.verinfer.market;

/** An account: its free balance and the nonce its next transaction must carry. */
public record Account(long balance, long nonce) {
    Account withBalance(long b) {
        return new Account(b, nonce);
    }

    Account nextNonce() {
        return new Account(balance, nonce + 1);
    }
}
