package dev.verinfer.market;

import dev.verinfer.ledger.Hash;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;

/** An account's Ed25519 key: signs transactions (and, as an oracle, input attestations) for one market (chain id). Nonces are the caller's to track. */
public final class Signer {
    private final KeyPair keys;
    private final String chainId;
    private final byte[] publicKey;

    public Signer(KeyPair keys, String chainId) {
        if (!keys.getPublic().getAlgorithm().equals("Ed25519") && !keys.getPublic().getAlgorithm().equals("EdDSA")) {
            throw new IllegalArgumentException("market accounts use Ed25519 keys, not " + keys.getPublic().getAlgorithm());
        }
        this.keys = keys;
        this.chainId = chainId;
        this.publicKey = keys.getPublic().getEncoded();
    }

    public static Signer generate(String chainId) {
        try {
            return new Signer(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), chainId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always provides Ed25519", e);
        }
    }

    public String accountId() {
        return SignedTx.accountId(publicKey);
    }

    /** The X.509 encoding of the public key (as registered in oracle sets). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public SignedTx sign(long nonce, Tx body) {
        return new SignedTx(publicKey, nonce, body, signature(SignedTx.message(chainId, publicKey, nonce, body)));
    }

    /** As an oracle of set {@code oracleSet}: the signature attesting {@code input} for a request on {@code modelId}. */
    public byte[] attest(String oracleSet, String modelId, byte[] input) {
        return signature(attestationMessage(chainId, oracleSet, modelId, input));
    }

    /** As an oracle of set {@code oracleSet}: the signature attesting the committed input {@code inputRoots} for a request on {@code modelId}. */
    public byte[] attestCommitted(String oracleSet, String modelId, List<byte[]> inputRoots) {
        return signature(committedAttestationMessage(chainId, oracleSet, modelId, inputRoots));
    }

    static byte[] attestationMessage(String chainId, String oracleSet, String modelId, byte[] input) {
        return new Wire.Writer().str("verinfer-oracle-attestation-v1").str(chainId).str(oracleSet).str(modelId).bytes(Hash.of(input).bytes()).toBytes();
    }

    static byte[] committedAttestationMessage(String chainId, String oracleSet, String modelId, List<byte[]> inputRoots) {
        Wire.Writer w = new Wire.Writer().str("verinfer-oracle-attestation-committed-v1").str(chainId).str(oracleSet).str(modelId);
        TxCodec.writeList(w, inputRoots);
        return w.toBytes();
    }

    private byte[] signature(byte[] message) {
        return Ed25519.sign(keys.getPrivate(), publicKey, message);
    }
}
