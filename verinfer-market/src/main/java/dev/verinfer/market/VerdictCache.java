package dev.verinfer.market;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ProofVerifier} that remembers its last verdicts on proofs, keyed by SHA-256 of (key,
 * weight rotation chain, statements, proof): a node checks a proof when the transaction arrives, off the block producer's
 * thread ({@link Market#preverification}), and the rules then find the verdict when they apply the
 * transaction. A verdict is a pure function of its key, so replay and the journal's recorded
 * outcomes are unaffected. A proof being checked is checked once: a second caller with the same key
 * (the block producer reaching the transaction while its arrival check runs) waits for that verdict.
 */
final class VerdictCache implements ProofVerifier {
    private static final int ENTRIES = 256;
    private static final byte[] NO_ROTATIONS = new byte[0];

    private final ProofVerifier verifier;
    private final BoundedCache<ByteBuffer, Verdict> verdicts = new BoundedCache<>(ENTRIES);
    /** The checks under way, by key. */
    private final ConcurrentHashMap<ByteBuffer, CompletableFuture<Verdict>> underWay = new ConcurrentHashMap<>();

    VerdictCache(ProofVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public String modelId(byte[] verifyingKey) {
        return verifier.modelId(verifyingKey);
    }

    @Override
    public boolean zeroKnowledge(byte[] verifyingKey) {
        return verifier.zeroKnowledge(verifyingKey);
    }

    @Override
    public Verdict verify(byte[] verifyingKey, Statement statement, byte[] proof) {
        return verify(verifyingKey, NO_ROTATIONS, statement, proof);
    }

    @Override
    public Verdict verifyBatch(byte[] verifyingKey, List<Statement> statements, byte[] proof) {
        return verifyBatch(verifyingKey, NO_ROTATIONS, statements, proof);
    }

    /** The chain is part of the key: a proof invalid under one chain may be valid once the owner's rotation extends it. */
    @Override
    public Verdict verify(byte[] verifyingKey, byte[] weightRotations, Statement statement, byte[] proof) {
        return cached(key(verifyingKey, weightRotations, List.of(statement), proof, false), () -> verifier.verify(verifyingKey, weightRotations, statement, proof));
    }

    @Override
    public Verdict verifyBatch(byte[] verifyingKey, byte[] weightRotations, List<Statement> statements, byte[] proof) {
        return cached(key(verifyingKey, weightRotations, statements, proof, true), () -> verifier.verifyBatch(verifyingKey, weightRotations, statements, proof));
    }

    @Override
    public byte[] rotate(byte[] verifyingKey, byte[] weightRotations, byte[] fromRoot, byte[] nextRoot, byte[] proof) {
        return verifier.rotate(verifyingKey, weightRotations, fromRoot, nextRoot, proof);
    }

    private Verdict cached(ByteBuffer key, java.util.function.Supplier<Verdict> verify) {
        Verdict known = verdicts.get(key);
        if (known != null) {
            return known;
        }
        var mine = new CompletableFuture<Verdict>();
        var other = underWay.putIfAbsent(key, mine);
        if (other != null) {
            try {
                return other.join();
            } catch (CompletionException e) {
                // that check failed (not a verdict): check here
                return verify.get();
            }
        }
        try {
            known = verdicts.get(key);
            Verdict v = known != null ? known : verify.get();
            verdicts.put(key, v);
            mine.complete(v);
            return v;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            underWay.remove(key, mine);
        }
    }

    private static ByteBuffer key(byte[] vk, byte[] rotations, List<Statement> statements, byte[] proof, boolean batch) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        d.update((byte) (batch ? 1 : 0));
        field(d, vk);
        field(d, rotations);
        d.update(ByteBuffer.allocate(4).putInt(statements.size()).array());
        for (Statement s : statements) {
            field(d, s.modelId().getBytes(StandardCharsets.UTF_8));
            field(d, s.input());
            list(d, s.inputRoots());
            field(d, s.output());
            list(d, s.outputRoots());
            field(d, s.context());
        }
        field(d, proof);
        return ByteBuffer.wrap(d.digest());
    }

    private static void list(MessageDigest d, List<byte[]> xs) {
        d.update(ByteBuffer.allocate(4).putInt(xs.size()).array());
        xs.forEach(x -> field(d, x));
    }

    /** Length-prefixed, so that no two distinct inputs hash the same bytes. */
    private static void field(MessageDigest d, byte[] x) {
        d.update(ByteBuffer.allocate(4).putInt(x.length).array());
        d.update(x);
    }

    @Override
    public Verdict checkInput(byte[] verifyingKey, byte[] input) {
        return verifier.checkInput(verifyingKey, input);
    }

    @Override
    public List<byte[]> inputRoots(byte[] verifyingKey, byte[] values) {
        return verifier.inputRoots(verifyingKey, values);
    }

    @Override
    public Optional<String> linkFailure(byte[] producerKey, int output, byte[] consumerKey, int input) {
        return verifier.linkFailure(producerKey, output, consumerKey, input);
    }
}
