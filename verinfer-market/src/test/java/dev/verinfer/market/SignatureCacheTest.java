package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;
import dev.verinfer.ledger.Hash;
import dev.verinfer.ledger.TxOutcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A signature checked where a transaction arrives ({@link Market#signatureCheck}) is remembered for
 * exactly those bytes: applying them does not verify again, and any other bytes — a flipped
 * signature bit, a transaction signed for another market, bytes that are no transaction — are
 * verified (and refused) as before, whether or not they were checked first.
 */
class SignatureCacheTest {
    private final java.security.KeyPair keys = keys();
    private final Signer op = new Signer(keys, MarketDriver.CHAIN);
    private final Market market = new Market(MarketDriver.params(op), new FakeVerifier());
    private final String someone = Signer.generate(MarketDriver.CHAIN).accountId();
    private final BlockContext block = new BlockContext(1, 1_000, Hash.ZERO, 1_000);

    @Test
    void aCheckedSignatureLetsThoseBytesAndNoOthersThrough() {
        byte[] deposit = op.sign(0, new Tx.Deposit(someone, 5)).toBytes();
        byte[] forged = deposit.clone();
        forged[forged.length - 1] ^= 1;
        byte[] elsewhere = new Signer(keys, "another-market").sign(1, new Tx.Deposit(someone, 5)).toBytes();
        assertTrue(market.signatureCheck(deposit).getAsBoolean());
        assertFalse(market.signatureCheck(forged).getAsBoolean(), "a flipped signature bit");
        assertFalse(market.signatureCheck(elsewhere).getAsBoolean(), "signed for another market");
        assertFalse(market.signatureCheck(new byte[] {1, 2, 3}).getAsBoolean(), "no transaction");

        market.beginBlock(block);
        assertTrue(market.apply(block, deposit).accepted());
        for (byte[] refused : new byte[][] {forged, elsewhere}) {
            TxOutcome o = market.apply(block, refused);
            assertFalse(o.accepted());
            assertTrue(o.reason().startsWith("invalid signature"), o.reason());
        }
        assertEquals(5, market.state().account(someone).orElseThrow().balance());
    }

    @Test
    void bytesNeverCheckedAreVerifiedWhenApplied() {
        byte[] deposit = op.sign(0, new Tx.Deposit(someone, 7)).toBytes();
        byte[] forged = op.sign(0, new Tx.Deposit(someone, 9)).toBytes();
        forged[forged.length - 1] ^= 1;
        market.beginBlock(block);
        assertTrue(market.apply(block, deposit).accepted());
        assertTrue(market.apply(block, forged).reason().startsWith("invalid signature"));
        assertEquals(7, market.state().account(someone).orElseThrow().balance());
    }

    private static java.security.KeyPair keys() {
        try {
            return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
