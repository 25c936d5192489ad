package dev.verinfer.market;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A transaction as submitted to the ledger: the sender's Ed25519 public key (X.509 encoding), the
 * sender's next nonce, the body, and the signature over {@link #message}, which binds the market's
 * chain id so that a transaction of one market cannot be replayed in another.
 */
public record SignedTx(byte[] publicKey, long nonce, Tx body, byte[] signature) {
    private static final byte[] DOMAIN = "verinfer-market-tx-v1".getBytes(StandardCharsets.US_ASCII);

    public SignedTx {
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    /** The sender's account id: the first 20 bytes of SHA-256 of the public key, in hex. */
    public String sender() {
        return accountId(publicKey);
    }

    static String accountId(byte[] publicKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey), 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    /** The bytes the sender signs. */
    static byte[] message(String chainId, byte[] publicKey, long nonce, Tx body) {
        Wire.Writer w = new Wire.Writer().bytes(DOMAIN).str(chainId).bytes(publicKey).i64(nonce);
        TxCodec.write(w, body);
        return w.toBytes();
    }

    /** Whether the signature is the public key's over this transaction in the market {@code chainId}. */
    public boolean signatureValid(String chainId) {
        return Ed25519.verify(publicKey, message(chainId, publicKey, nonce, body), signature);
    }

    public byte[] toBytes() {
        Wire.Writer w = new Wire.Writer().bytes(publicKey).i64(nonce);
        TxCodec.write(w, body);
        return w.bytes(signature).toBytes();
    }

    /** Decodes {@link #toBytes()}'s encoding; {@link IllegalArgumentException} says why other bytes are not a transaction. */
    public static SignedTx decode(byte[] bytes) {
        try {
            return fromBytes(bytes);
        } catch (Wire.MalformedException e) {
            throw new IllegalArgumentException("malformed transaction: " + e.getMessage(), e);
        }
    }

    static SignedTx fromBytes(byte[] bytes) throws Wire.MalformedException {
        Wire.Reader r = new Wire.Reader(bytes);
        SignedTx tx = new SignedTx(r.bytes(), r.i64(), TxCodec.read(r), r.bytes());
        r.end();
        return tx;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTx t && Arrays.equals(toBytes(), t.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
