package dev.verinfer.market;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.zkml.PublicStatement;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
import dev.verinfer.zkml.VerifyingKey;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The market's verifier on verinfer-zkml proofs: verifies the proof and that it proves exactly the request's statement. */
public final class ZkmlProofVerifier implements ProofVerifier {
    private final Map<String, VerifyingKey> keys = new ConcurrentHashMap<>();

    @Override
    public String modelId(byte[] verifyingKey) {
        return parse(verifyingKey).modelIdHex();
    }

    @Override
    public Verdict verify(byte[] verifyingKey, Statement statement, byte[] proof) {
        VerifyingKey key = keys.computeIfAbsent(statement.modelId(), id -> parse(verifyingKey));
        if (!key.modelIdHex().equals(statement.modelId())) {
            return Verdict.invalid("the verifying key is of model " + key.modelIdHex() + ", not " + statement.modelId());
        }
        VerificationResult r = Verifier.verify(key, proof);
        if (!r.valid()) {
            return Verdict.invalid("proof rejected: " + r.reason());
        }
        PublicStatement proven = r.statement();
        if (!Arrays.equals(StatementCodec.encode(proven.inputs()), statement.input())) {
            return Verdict.invalid("the proof is of another input than the request's");
        }
        if (!Arrays.equals(StatementCodec.encode(proven.outputs()), statement.output())) {
            return Verdict.invalid("the proof is of another output than the posted result");
        }
        return Verdict.ok();
    }

    private static VerifyingKey parse(byte[] verifyingKey) {
        try {
            return VerifyingKey.fromBytes(verifyingKey);
        } catch (MalformedProofException | RuntimeException e) {
            throw new IllegalArgumentException("malformed verifying key: " + e.getMessage());
        }
    }
}
