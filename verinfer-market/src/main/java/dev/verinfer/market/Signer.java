package dev.verinfer.market;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

/** An account's Ed25519 key: signs transactions for one market (chain id). Nonces are the caller's to track. */
public final class Signer {
    private final KeyPair keys;
    private final String chainId;

    public Signer(KeyPair keys, String chainId) {
        if (!keys.getPublic().getAlgorithm().equals("Ed25519") && !keys.getPublic().getAlgorithm().equals("EdDSA")) {
            throw new IllegalArgumentException("market accounts use Ed25519 keys, not " + keys.getPublic().getAlgorithm());
        }
        this.keys = keys;
        this.chainId = chainId;
    }

    public static Signer generate(String chainId) {
        try {
            return new Signer(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), chainId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always provides Ed25519", e);
        }
    }

    public String accountId() {
        return SignedTx.accountId(keys.getPublic().getEncoded());
    }

    public SignedTx sign(long nonce, Tx body) {
        byte[] publicKey = keys.getPublic().getEncoded();
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(SignedTx.message(chainId, publicKey, nonce, body));
            return new SignedTx(publicKey, nonce, body, s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with an Ed25519 key failed", e);
        }
    }
}
