package dev.verinfer.market;

import dev.verinfer.ledger.Hash;

import java.util.List;

/** A registered set of input oracles: {@code threshold} of these Ed25519 keys must attest an input. */
public record OracleSet(String id, String owner, int threshold, List<byte[]> publicKeys) {
    public OracleSet {
        publicKeys = publicKeys.stream().map(byte[]::clone).toList();
    }

    /** The content address of a set: SHA-256 of its threshold and keys. */
    public static String idOf(int threshold, List<byte[]> publicKeys) {
        Wire.Writer w = new Wire.Writer().i32(threshold);
        TxCodec.writeList(w, publicKeys);
        return Hash.of(w.toBytes()).hex();
    }

    /** How many of the set's oracles signed {@code message} (an attestation message of {@link Signer}). */
    int attesters(byte[] message, List<byte[]> signatures) {
        int n = 0;
        for (int i = 0; i < publicKeys.size(); i++) {
            if (signatures.get(i).length > 0 && Ed25519.verify(publicKeys.get(i), message, signatures.get(i))) {
                n++;
            }
        }
        return n;
    }
}
