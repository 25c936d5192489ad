package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WeightRotations}: a model keeps its id across rotations of its weight commitment; proofs of every epoch verify against
 * the key and the chain, none under a root the chain does not link; the chain file is refused when corrupt, foreign or
 * altered; the opening count follows the epoch.
 */
class WeightRotationsTest {
    private static final QuantGraph GRAPH = ZkMatMulProofTest.matmul(17);
    @TempDir Path dir;

    private static byte[] prove(ProvingKey pk, long seed) {
        return Prover.prove(pk, ZkMatMulProofTest.run(GRAPH, seed)).bytes();
    }

    @Test
    void proofsOfEveryEpochVerifyAgainstTheKeyAndTheChain() throws Exception {
        ProvingKey setUp = ZkMatMulProofTest.zkKey(GRAPH, PcsSecurity.PROVEN, 24);
        VerifyingKey vk = VerifyingKey.fromBytes(setUp.verifyingKey().toBytes());
        Path count = dir.resolve("proving.key" + WeightOpeningLedger.SUFFIX);
        WeightOpeningLedger.create(count, setUp);
        ProvingKey pk = ProvingKey.fromBytes(setUp.toBytes());
        WeightOpeningLedger.open(count, pk);
        byte[] epoch0 = prove(pk, 1);

        WeightRotations chain = WeightRotations.none(vk);
        int before = WeightOpeningLedger.read(count, vk).units();
        WeightRotations.Rotated first = chain.rotate(pk);
        assertEquals(before + WeightRotations.UNITS, WeightOpeningLedger.read(count, vk).units(), "the rotation spends its units of the old count first");
        WeightOpeningLedger.advance(count, first.key());
        WeightOpeningLedger.Count moved = WeightOpeningLedger.read(count, vk);
        assertEquals(1, moved.epoch());
        assertEquals(WeightRotations.UNITS, moved.units());
        WeightRotations read = WeightRotations.fromBytes(first.chain().toBytes(), vk);
        assertEquals(1, read.epoch());
        assertEquals(vk.modelIdHex(), first.key().verifyingKey().modelIdHex(), "the model keeps its id");
        assertArrayEquals(vk.toBytes(), first.key().verifyingKey().toBytes(), "and its verifying key");

        byte[] epoch1 = prove(first.key(), 2);
        assertFalse(Verifier.verify(vk, epoch1).valid(), "a proof under the new root is not one under the registered root");
        WeightRotations.Verified v1 = read.verify(vk, epoch1);
        assertTrue(v1.result().valid(), v1.result().reason());
        assertEquals(1, v1.epoch());
        WeightRotations.Verified v0 = read.verify(vk, epoch0);
        assertTrue(v0.result().valid(), v0.result().reason());
        assertEquals(0, v0.epoch());

        // A second rotation, from a key loaded afresh and moved to the chain's epoch (as a new process does).
        ProvingKey reloaded = ProvingKey.fromBytes(setUp.toBytes()).atEpoch(read.epoch());
        assertArrayEquals(read.root(1), reloaded.weightCommitment().root(), "the epoch's commitment is recomputed from the key file");
        WeightOpeningLedger.open(count, reloaded);
        WeightRotations.Rotated second = read.rotate(reloaded);
        WeightOpeningLedger.advance(count, second.key());
        WeightRotations chain2 = WeightRotations.fromBytes(second.chain().toBytes(), vk);
        byte[] epoch2 = prove(second.key(), 3);
        for (byte[] proof : new byte[][] {epoch0, epoch1, epoch2}) {
            assertTrue(chain2.verify(vk, proof).result().valid());
        }
        assertEquals(2, chain2.verify(vk, epoch2).epoch());

        // A key at an epoch the chain does not reach: its root is linked to nothing, its proofs are invalid.
        ProvingKey unlinked = ProvingKey.fromBytes(setUp.toBytes()).atEpoch(7);
        WeightRotations.Verified rejected = chain2.verify(vk, prove(unlinked, 4));
        assertFalse(rejected.result().valid());
        assertEquals(-1, rejected.epoch());
        // The count is of epoch 2: a key at epoch 0 loaded against it is refused (a missing or stale chain).
        ProvingKey stale = ProvingKey.fromBytes(setUp.toBytes());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> WeightOpeningLedger.open(count, stale));
        assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
    }

    @Test
    void aCorruptForeignOrAlteredChainIsRefused() throws Exception {
        ProvingKey setUp = ZkMatMulProofTest.zkKey(GRAPH, PcsSecurity.CONJECTURED, 24);
        VerifyingKey vk = setUp.verifyingKey();
        WeightRotations.Rotated r = WeightRotations.none(vk).rotate(setUp);
        byte[] bytes = r.chain().toBytes();
        assertEquals(1, WeightRotations.fromBytes(bytes, vk).epoch());

        ProvingKey other = Setup.setup(ZkMatMulProofTest.matmul(18), PcsSecurity.CONJECTURED, true, 24, PcsSecurity.CONJECTURED.pcs(),
                new byte[SeededMasks.SEED_BYTES], w -> w);
        MalformedProofException foreign = assertThrows(MalformedProofException.class, () -> WeightRotations.fromBytes(bytes, other.verifyingKey()));
        assertTrue(foreign.getMessage().contains("of model"), foreign.getMessage());

        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 9);
        assertThrows(MalformedProofException.class, () -> WeightRotations.fromBytes(truncated, vk));
        // The new root swapped for the root of another epoch's commitment (same weights, no link proof for it): rejected.
        byte[] swapped = bytes.clone();
        byte[] linked = r.chain().root(1);
        byte[] unlinked = setUp.atEpoch(2).weightCommitment().root();
        int at = indexOf(swapped, linked);
        System.arraycopy(unlinked, 0, swapped, at, unlinked.length);
        MalformedProofException altered = assertThrows(MalformedProofException.class, () -> WeightRotations.fromBytes(swapped, vk));
        assertTrue(altered.getMessage().contains("rejected"), altered.getMessage());
        // Link by link (a market's RotateWeights): the same chain; a link from another root, or to an unlinked one, refused.
        WeightRotations none = WeightRotations.none(vk);
        assertArrayEquals(bytes, none.extend(vk, r.chain().root(0), linked, r.chain().linkProof(0)).toBytes());
        MalformedProofException notCurrent = assertThrows(MalformedProofException.class, () -> none.extend(vk, linked, unlinked, r.chain().linkProof(0)));
        assertTrue(notCurrent.getMessage().contains("not the current weight root"), notCurrent.getMessage());
        MalformedProofException notLinked = assertThrows(MalformedProofException.class, () -> none.extend(vk, r.chain().root(0), unlinked, r.chain().linkProof(0)));
        assertTrue(notLinked.getMessage().contains("rejected"), notLinked.getMessage());
        for (int k = 0; k < 40; k++) {
            byte[] flipped = bytes.clone();
            flipped[(int) ((k * 7919L) % flipped.length)] ^= 1 << (k % 8);
            assertThrows(MalformedProofException.class, () -> WeightRotations.fromBytes(flipped, vk), "flip " + k);
        }
    }

    /**
     * Proofs never take a rotation's units: spent one unit at a time, the count refuses the next proof with {@link WeightRotations#UNITS}
     * units left, naming {@code verinfer rotate -m DIR}, and the rotation then goes through; a count with fewer left (here after that
     * rotation) does not rotate, and says to set the model up again.
     */
    @Test
    void proofsKeepARotationsUnitsAndACommitmentWithFewerLeftDoesNotRotate() throws Exception {
        ProvingKey setUp = ZkMatMulProofTest.zkKey(GRAPH, PcsSecurity.CONJECTURED, 24);
        Path count = dir.resolve("proving.key" + WeightOpeningLedger.SUFFIX);
        WeightOpeningLedger ledger = WeightOpeningLedger.create(count, setUp);
        WeightBudgetSpentException spent = null;
        while (spent == null) {
            boolean refused = ledger.refusal().isPresent(); // what a prover checks before it takes work
            try {
                ledger.spend(0); // one unit
                assertFalse(refused, "refusal() said no while a proof still fits");
            } catch (WeightBudgetSpentException e) {
                spent = e;
                assertTrue(refused, "refusal() said so before the proof");
                assertEquals(e.getMessage(), ledger.refusal().orElseThrow(), "refusal() names the same way on");
            }
        }
        WeightOpeningLedger.Count c = ledger.count();
        assertEquals(c.unitBudget() - WeightRotations.UNITS, c.units(), "the last units are kept for a rotation");
        assertTrue(spent.getMessage().contains("verinfer rotate -m " + dir.toAbsolutePath()), spent.getMessage());
        WeightRotations.Rotated r = WeightRotations.none(setUp.verifyingKey()).rotate(setUp);
        assertEquals(1, r.chain().epoch());
        assertEquals(c.unitBudget(), ledger.count().units(), "the rotation took the kept units");
        WeightBudgetSpentException again = assertThrows(WeightBudgetSpentException.class, () -> WeightRotations.none(setUp.verifyingKey()).rotate(setUp));
        assertTrue(again.getMessage().contains("verinfer compile --zk"), again.getMessage());
        assertThrows(WeightBudgetSpentException.class, () -> ledger.spend(0));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }
}
