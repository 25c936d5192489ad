package dev.verinfer.market;

import dev.verinfer.ledger.Hash;
import dev.verinfer.ledger.Ledger;

/** An account acting on a market ledger: signs its transactions and numbers them with its nonces. */
public final class MarketAccount implements TxSender {
    private final Signer signer;
    private final Ledger<Market> ledger;
    private long nextNonce;

    /** Starts from the account's nonce on the ledger (0 for an account that does not exist yet). */
    public MarketAccount(Signer signer, Ledger<Market> ledger) {
        this.signer = signer;
        this.ledger = ledger;
        this.nextNonce = ledger.read(m -> m.state().account(signer.accountId()).map(Account::nonce).orElse(0L));
    }

    @Override
    public String id() {
        return signer.accountId();
    }

    /** Signs with the next nonce and queues the transaction; returns its hash. */
    @Override
    public synchronized Hash send(Tx body) {
        return ledger.submit(signer.sign(nextNonce++, body).toBytes());
    }
}
