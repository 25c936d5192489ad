package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commitment security chosen at setup: kept in both keys and the model id, and never mixed up with the other. */
class PcsSecurityTest {
    private static final QuantGraph GRAPH = TestGraphs.conv2d(17);

    private static Execution run(long seed) {
        int n = GRAPH.tensor(GRAPH.inputs().getFirst()).size();
        return IntegerExecutor.execute(GRAPH, Map.of(GRAPH.tensor(GRAPH.inputs().getFirst()).name(), TestGraphs.randomInput(seed, n, 3.9)));
    }

    @Test
    void conjecturedProofsVerifyAreSmallerAndNameAnotherModel() {
        ProvingKey proven = Setup.setup(GRAPH);
        ProvingKey conjectured = Setup.setup(GRAPH, PcsSecurity.CONJECTURED);
        Execution ex = run(3);
        Proof small = Prover.prove(conjectured, ex);
        Proof large = Prover.prove(proven, ex);
        assertTrue(Verifier.verify(conjectured.verifyingKey(), small.bytes()).valid());
        assertTrue(small.size() < large.size(), small.size() + " vs " + large.size());
        assertNotEquals(proven.verifyingKey().modelIdHex(), conjectured.verifyingKey().modelIdHex());
        assertEquals(small.statement().outputs().getFirst().length, large.statement().outputs().getFirst().length);
    }

    @Test
    void aProofIsCheckedOnlyUnderItsOwnSecurity() throws Exception {
        ProvingKey proven = Setup.setup(GRAPH);
        ProvingKey conjectured = Setup.setup(GRAPH, PcsSecurity.CONJECTURED);
        Proof weak = Prover.prove(conjectured, run(4));
        assertFalse(Verifier.verify(proven.verifyingKey(), weak.bytes()).valid(), "a conjectured-size proof accepted by a proven key");
        // Even relabelled with the proven model's id, the opening has too few queries for the proven key.
        PublicStatement s = weak.statement();
        byte[] relabelled = ProofSoundnessTest.withStatement(weak.bytes(), new PublicStatement(proven.verifyingKey().modelId(), s.inputs(), s.outputs()));
        assertFalse(Verifier.verify(proven.verifyingKey(), relabelled).valid());
    }

    @Test
    void keysKeepTheirSecurityThroughBytes() throws Exception {
        ProvingKey pk = ProvingKey.fromBytes(Setup.setup(GRAPH, PcsSecurity.CONJECTURED).toBytes());
        VerifyingKey vk = VerifyingKey.fromBytes(pk.verifyingKey().toBytes());
        assertEquals(PcsSecurity.CONJECTURED, pk.verifyingKey().security());
        assertEquals(PcsSecurity.CONJECTURED, vk.security());
        assertEquals(pk.verifyingKey().modelIdHex(), vk.modelIdHex());
        assertTrue(Verifier.verify(vk, Prover.prove(pk, run(5)).bytes()).valid());
    }

    /**
     * Verifying keys of versions 1 and 2 carry no weight bounds proof: refused with a clear error (the
     * owner re-creates them from the proving key); a bare graph (the first proving-key format) still sets
     * up as {@link PcsSecurity#TENSOR_PROVEN}, the default of those formats, with its model id unchanged.
     */
    @Test
    void keysOfOlderFormatsAreRefusedAndBareGraphsReadAsTensorProven() throws Exception {
        ProvingKey pk = Setup.setup(GRAPH, PcsSecurity.TENSOR_PROVEN);
        byte[] v3 = pk.verifyingKey().toBytes();
        for (int version : new int[] {1, 2}) {
            byte[] old = v3.clone();
            old[4] = (byte) version;
            MalformedProofException e = assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(old));
            assertTrue(e.getMessage().contains("re-create it"), e.getMessage());
        }
        ProvingKey bare = ProvingKey.fromBytes(GraphCodec.encode(GRAPH, true));
        assertEquals(pk.verifyingKey().modelIdHex(), bare.verifyingKey().modelIdHex());
        assertEquals(0, PcsSecurity.TENSOR_PROVEN.code());
        assertEquals(1, PcsSecurity.TENSOR_CONJECTURED.code());
    }

    /** Every setting proves and verifies, names its own model, and refuses proofs made under any other. */
    @Test
    void everySettingProvesAndRefusesTheOthersProofs() {
        Execution ex = run(8);
        Map<PcsSecurity, ProvingKey> keys = new java.util.EnumMap<>(PcsSecurity.class);
        Map<PcsSecurity, Proof> proofs = new java.util.EnumMap<>(PcsSecurity.class);
        for (PcsSecurity s : PcsSecurity.values()) {
            keys.put(s, Setup.setup(GRAPH, s));
            proofs.put(s, Prover.prove(keys.get(s), ex));
            assertEquals(s, PcsSecurity.ofCode(s.code()));
        }
        assertEquals(PcsSecurity.values().length, keys.values().stream().map(k -> k.verifyingKey().modelIdHex()).distinct().count());
        for (PcsSecurity key : PcsSecurity.values()) {
            for (PcsSecurity made : PcsSecurity.values()) {
                assertEquals(key == made, Verifier.verify(keys.get(key).verifyingKey(), proofs.get(made).bytes()).valid(), made + " proof under " + key + " key");
            }
        }
        assertTrue(proofs.get(PcsSecurity.CONJECTURED).size() < proofs.get(PcsSecurity.PROVEN).size());
        assertTrue(proofs.get(PcsSecurity.PROVEN).size() < proofs.get(PcsSecurity.PROVEN_UNIQUE).size(), "the Johnson regime's fewer queries");
        assertTrue(proofs.get(PcsSecurity.PROVEN_EVM).size() < proofs.get(PcsSecurity.PROVEN).size(), "rate 1/32's fewer queries");
        assertTrue(proofs.get(PcsSecurity.CONJECTURED_EVM).size() < proofs.get(PcsSecurity.PROVEN_EVM).size(), "the conjectures' fewer queries at rate 1/32");
        assertTrue(proofs.get(PcsSecurity.CONJECTURED_EVM).size() < proofs.get(PcsSecurity.CONJECTURED).size(), "rate 1/32's fewer queries, 25-byte digests");
        // The default is the Johnson-bound preset (code 4); code 2 keys read as the unique-decoding one they were made with.
        assertEquals(PcsSecurity.PROVEN, Setup.setup(GRAPH).verifyingKey().security());
        assertEquals(PcsSecurity.PROVEN, PcsSecurity.ofCode(4));
        assertEquals(PcsSecurity.PROVEN_UNIQUE, PcsSecurity.ofCode(2));
        assertEquals("proven-unique", PcsSecurity.PROVEN_UNIQUE.label());
        assertEquals(PcsSecurity.PROVEN_EVM, PcsSecurity.ofCode(5));
        assertEquals("proven-evm", PcsSecurity.PROVEN_EVM.label());
        assertEquals(PcsSecurity.CONJECTURED_EVM, PcsSecurity.ofCode(8));
        assertEquals("conjectured-evm", PcsSecurity.CONJECTURED_EVM.label());
    }

    /**
     * Codes 6 and 7, conjectured-evm's earlier parameters (SHA-256 trees at rate 1/32; 20 bits of query grinding), are refused in
     * both keys as made by an older verinfer; the same key at code 8 reads.
     */
    @Test
    void retiredConjecturedEvmKeysAreRefusedClearly() throws Exception {
        ProvingKey pk = Setup.setup(GRAPH, PcsSecurity.CONJECTURED_EVM);
        VerifyingKey key = pk.verifyingKey();
        byte[] vk = key.toBytes();
        int at = vk.length - 4 - key.boundsProof().length - 2; // the security byte (unknownSecurityCodesAreMalformedKeys)
        assertEquals(8, vk[at]);
        assertEquals(key.modelIdHex(), VerifyingKey.fromBytes(vk).modelIdHex());
        byte[] proving = pk.toBytes();
        int code = 5; // the code byte follows the magic "VIPK" and the version
        assertEquals(8, proving[code]);
        for (byte retired : new byte[] {6, 7}) {
            vk[at] = retired;
            MalformedProofException v = assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(vk));
            assertTrue(v.getMessage().contains("code " + retired) && v.getMessage().contains("older verinfer") && v.getMessage().contains("compile the model again"),
                    v.getMessage());
            proving[code] = retired;
            MalformedProofException p = assertThrows(MalformedProofException.class, () -> ProvingKey.fromBytes(proving));
            assertTrue(p.getMessage().contains("code " + retired) && p.getMessage().contains("older verinfer") && p.getMessage().contains("compile the model again"),
                    p.getMessage());
        }
    }

    @Test
    void unknownSecurityCodesAreMalformedKeys() {
        VerifyingKey key = Setup.setup(GRAPH).verifyingKey();
        byte[] vk = key.toBytes();
        vk[vk.length - 4 - key.boundsProof().length - 2] = 9; // the security byte, before the zero-knowledge byte and the length-prefixed bounds proof
        MalformedProofException e = assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(vk));
        assertTrue(e.getMessage().contains("security"), e.getMessage());
    }

    @Test
    void byteFlipsInConjecturedProofsAreRejected() {
        ProvingKey pk = Setup.setup(GRAPH, PcsSecurity.CONJECTURED);
        byte[] proof = Prover.prove(pk, run(6)).bytes();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 60; i++) {
            byte[] bad = proof.clone();
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            assertFalse(Verifier.verify(pk.verifyingKey(), bad).valid(), "flip " + i);
        }
    }
}
