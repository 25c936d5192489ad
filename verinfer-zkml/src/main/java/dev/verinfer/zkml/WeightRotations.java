package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rotation chain of a zero-knowledge model's weight commitment: the registered root (the model id's) → root_1 → … →
 * root_k, each link a zero-knowledge proof ({@code MultilinearPcs.proveSameTable}) that the next hiding commitment holds the
 * same weight table as the one before. A commitment's opening budget bounds how many proofs it hides the weights for; when it
 * is spent the owner rotates instead of compiling again, and the model keeps its id. A proof made under root_e verifies
 * against the verifying key and the chain ({@link #verify}); reading a chain verifies every link, so no root reaches a
 * verifier unless linked to the registered one. Each link spends {@link #UNITS} units of both commitments' budgets.
 *
 * <p>Soundness: each link shows, by Schwartz–Zippel at a point drawn after both roots, that the two commitments' tables are
 * equal (verinfer-whir {@code WhirRotation}); so every root of the chain holds the registered weights, whose bounds the key's
 * {@link WeightBounds} proof shows, and a proof under any of them is a proof about the registered model. Each link's
 * transcript names the model id and the epoch, so a link is not replayed in another chain or at another place.
 *
 * <p>Zero knowledge: a link reveals nothing about the weights, not even its point's value ({@code WhirRotation}'s argument,
 * checked by {@code WhirRotationZeroKnowledgeTest}'s rank test). A proof never takes the last {@link #UNITS} units of a
 * commitment's count ({@link WeightOpeningLedger}), so a spent commitment can always be rotated.
 */
public final class WeightRotations {
    /** The chain's file beside a verifying key. */
    public static final String SUFFIX = ".rotations";
    /** Budget units a rotation spends of each commitment it links (verinfer-whir's {@code WhirRotation.UNITS}). */
    public static final int UNITS = 2;
    private static final String MAGIC = "VIWR";
    private static final String LINK_MAGIC = "VIWL";
    /**
     * 3 since 2026-12-06 (bytes28): a link's WHIR run keeps its second later oracle on the first one's domain; 2 (the narrow first
     * fold halving the rate, verinfer-whir {@code WhirParameters.nextLogDomain}) and 1 are an older build's; 4 since 2026-12-07
     * (rate35): a hiding run's second oracle is at half the first's rate after the plain first fold too (the weights' k₀ = 4 at
     * budget 256), so a link's later iterations changed; 3 is an older build's.
     */
    private static final int VERSION = 4;
    private static final int MAX_EPOCHS = 1 << 16;

    private final byte[] modelId;
    /** roots.get(0) is the registered root; roots.get(e + 1) is linked to roots.get(e) by proofs.get(e). */
    private final List<byte[]> roots;
    private final List<PcsOpeningProof> proofs;

    private WeightRotations(byte[] modelId, List<byte[]> roots, List<PcsOpeningProof> proofs) {
        this.modelId = modelId;
        this.roots = List.copyOf(roots);
        this.proofs = List.copyOf(proofs);
    }

    /** The chain of a key that was never rotated: the registered root alone. */
    public static WeightRotations none(VerifyingKey key) {
        return new WeightRotations(key.modelId(), List.of(key.registeredWeightRoot()), List.of());
    }

    /** Rotations made so far: proofs under the current root are of this epoch. */
    public int epoch() {
        return proofs.size();
    }

    /** The root of {@code epoch}'s commitment (0: the registered one). */
    public byte[] root(int epoch) {
        return roots.get(epoch).clone();
    }

    /** {@code key} (the model's registered verifying key) with its proofs opening the weights under this chain's current root. */
    public VerifyingKey current(VerifyingKey key) {
        return at(key, epoch());
    }

    /**
     * {@code key} (a proving key as loaded, epoch 0) at this chain's current epoch: its weights committed with that epoch's
     * masks, which must give the chain's current root.
     *
     * @throws IllegalArgumentException when they do not (the chain of another key of this model)
     */
    public ProvingKey current(ProvingKey key) {
        ProvingKey at = key.atEpoch(epoch());
        if (!Arrays.equals(at.weightCommitment().root(), roots.getLast())) {
            throw new IllegalArgumentException("the chain ends at a weight commitment this proving key does not make at epoch " + epoch()
                    + " (the rotations of another key of this model?)");
        }
        return at;
    }

    private VerifyingKey at(VerifyingKey key, int epoch) {
        if (!Arrays.equals(key.modelId(), modelId)) {
            throw new IllegalArgumentException("the rotation chain is for model " + Digests.hex(modelId) + ", not " + key.modelIdHex());
        }
        return key.atWeightRoot(roots.get(epoch));
    }

    /** A proof's result against {@code key} under the commitment of some epoch of the chain, and that epoch (−1 if none accepts). */
    public record Verified(VerificationResult result, int epoch) {}

    /**
     * Verifies {@code proof} under each root of the chain, the current first: a proof made under any epoch's commitment is valid
     * (they all hold the registered weights). An invalid proof's reason is the current epoch's.
     */
    public Verified verify(VerifyingKey key, byte[] proof) {
        VerificationResult current = Verifier.verify(at(key, epoch()), proof);
        if (current.valid() || epoch() == 0) {
            return new Verified(current, current.valid() ? epoch() : -1);
        }
        for (int e = epoch() - 1; e >= 0; e--) {
            VerificationResult r = Verifier.verify(at(key, e), proof);
            if (r.valid()) {
                return new Verified(r, e);
            }
        }
        return new Verified(current, -1);
    }

    /** A rotation made: the chain with one more link, the proving key at the new epoch, and the link's proof size and time. */
    public record Rotated(WeightRotations chain, ProvingKey key, int proofBytes, double millis) {}

    /**
     * Commits the weights of {@code key} (at this chain's current epoch) hiding again, with the next epoch's masks, and proves
     * that the new commitment holds the same table; {@link #UNITS} units of the current commitment are spent first, in the key's
     * opening count ({@link WeightOpeningLedger}) if it has one. Write the returned chain, then move the count to the new epoch
     * ({@link WeightOpeningLedger#advance}), in that order.
     *
     * @throws WeightBudgetSpentException when the current commitment has fewer than {@link #UNITS} units left
     */
    public Rotated rotate(ProvingKey key) {
        if (key.epoch() != epoch() || !Arrays.equals(key.weightCommitment().root(), roots.getLast()) || !Arrays.equals(key.verifyingKey().modelId(), modelId)) {
            throw new IllegalArgumentException("the proving key is not at this chain's current epoch " + epoch());
        }
        if (!(key.weightCommitment() instanceof HidingCommitment from)) {
            throw new IllegalArgumentException("only a zero-knowledge key's weight commitment rotates");
        }
        long start = System.nanoTime();
        if (key.openingLedger() != null) {
            key.openingLedger().spendRotation();
        }
        ProvingKey next = key.atEpoch(epoch() + 1);
        int before = from.openingsLeft();
        PcsOpeningProof proof = key.verifyingKey().pcs().proveSameTable(transcript(modelId, epoch()), from, next.weightCommitment());
        if (before - from.openingsLeft() != UNITS) {
            throw new IllegalStateException("a rotation spent " + (before - from.openingsLeft()) + " units, the count charged " + UNITS);
        }
        List<byte[]> r = new ArrayList<>(roots);
        r.add(next.weightCommitment().root());
        List<PcsOpeningProof> p = new ArrayList<>(proofs);
        p.add(proof);
        ProofWriter w = new ProofWriter();
        proof.write(w);
        return new Rotated(new WeightRotations(modelId, r, p), next, w.size(), (System.nanoTime() - start) / 1e6);
    }

    /** Link {@code epoch} → {@code epoch + 1}'s proof as bytes ("VIWL" v2), what a market's rotation transaction carries beside {@link #root}{@code (epoch + 1)}. */
    public byte[] linkProof(int epoch) {
        ProofWriter w = ProofWriter.begin(LINK_MAGIC, VERSION);
        proofs.get(epoch).write(w);
        return w.toByteArray();
    }

    /**
     * This chain with one more link, {@code from} → {@code next} proven by {@code linkProof} ({@link #linkProof}'s bytes), verified
     * as {@link #fromBytes} verifies each link: how a market records a rotation its model's owner posts.
     *
     * @throws MalformedProofException in one line when {@code from} is not the current root, or the proof is malformed or rejected
     */
    public WeightRotations extend(VerifyingKey key, byte[] from, byte[] next, byte[] linkProof) throws MalformedProofException {
        if (!Arrays.equals(key.modelId(), modelId)) {
            throw new MalformedProofException("the rotation chain is for model " + Digests.hex(modelId) + ", not " + key.modelIdHex());
        }
        if (!Arrays.equals(from, roots.getLast())) {
            throw new MalformedProofException("the link starts from root " + Digests.hex(from) + ", not the current weight root " + Digests.hex(roots.getLast())
                    + " of epoch " + epoch() + " (post the links in order, each from the root the last one reached)");
        }
        if (epoch() + 1 >= MAX_EPOCHS) {
            throw new MalformedProofException("the chain already holds " + epoch() + " rotations, the most a chain file holds");
        }
        PcsOpeningProof proof;
        try {
            ProofReader r = ProofReader.open(linkProof, LINK_MAGIC, VERSION);
            proof = key.pcs().readSameTableProof(r);
            r.finish();
        } catch (RuntimeException ex) {
            throw new MalformedProofException("malformed weight rotation proof: " + ex.getMessage());
        }
        try {
            key.pcs().verifySameTable(transcript(modelId, epoch()), from, next, key.weightVars(), proof);
        } catch (PcsRejectedException | RuntimeException ex) {
            throw new MalformedProofException("weight rotation " + epoch() + " → " + (epoch() + 1) + " is rejected: " + ex.getMessage());
        }
        List<byte[]> rs = new ArrayList<>(roots);
        rs.add(next.clone());
        List<PcsOpeningProof> ps = new ArrayList<>(proofs);
        ps.add(proof);
        return new WeightRotations(modelId, rs, ps);
    }

    /** The chain as a file: magic, version, the model id, the registered root, then per link the next root and its proof. */
    public byte[] toBytes() {
        ProofWriter w = ProofWriter.begin(MAGIC, VERSION).writeBytes(modelId).writeBytes(roots.getFirst()).writeInt(proofs.size());
        for (int e = 0; e < proofs.size(); e++) {
            w.writeBytes(roots.get(e + 1));
            proofs.get(e).write(w);
        }
        return w.toByteArray();
    }

    /**
     * Reads a chain for the model of {@code key} and verifies every link from the registered root on.
     *
     * @throws MalformedProofException in one line for a corrupt file, one of another model, or a link that does not verify
     */
    public static WeightRotations fromBytes(byte[] bytes, VerifyingKey key) throws MalformedProofException {
        if (!key.zeroKnowledge()) {
            throw new MalformedProofException("weight rotations: model " + key.modelIdHex() + " is not zero-knowledge; its weight commitment does not rotate");
        }
        ProofReader r = ProofReader.open(bytes, MAGIC, VERSION);
        byte[] id = r.readBytes(64, "model id");
        if (!Arrays.equals(id, key.modelId())) {
            throw new MalformedProofException("weight rotations of model " + Digests.hex(id) + ", not " + key.modelIdHex());
        }
        byte[] registered = r.readBytes(64, "registered weight root");
        if (!Arrays.equals(registered, key.registeredWeightRoot())) {
            throw new MalformedProofException("weight rotations start from another root than the key's registered weight commitment");
        }
        int links = r.readLength(MAX_EPOCHS, "rotations");
        List<byte[]> roots = new ArrayList<>(List.of(registered));
        List<PcsOpeningProof> proofs = new ArrayList<>();
        for (int e = 0; e < links; e++) {
            roots.add(r.readBytes(64, "weight root of epoch " + (e + 1)));
            proofs.add(key.pcs().readSameTableProof(r));
        }
        r.finish();
        for (int e = 0; e < links; e++) {
            try {
                key.pcs().verifySameTable(transcript(id, e), roots.get(e), roots.get(e + 1), key.weightVars(), proofs.get(e));
            } catch (PcsRejectedException | RuntimeException ex) {
                throw new MalformedProofException("weight rotation " + e + " → " + (e + 1) + " is rejected: " + ex.getMessage());
            }
        }
        return new WeightRotations(id, roots, proofs);
    }

    /** A link's transcript: the model id and the epoch it leaves, so a link proves nothing in another chain or place. */
    private static Transcript transcript(byte[] modelId, int epoch) {
        Transcript t = new Transcript("verinfer-weight-rotation-v1");
        t.absorbBytes("model-id", modelId);
        t.absorbBytes("epoch", java.nio.ByteBuffer.allocate(4).putInt(epoch).array());
        return t;
    }
}
