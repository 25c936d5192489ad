package dev.verinfer.eth;

import dev.verinfer.model.RealModels;
import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A key registered in parts (ZkmlVerifierSession's storeChunks, then sealKey) on anvil with 30 M blocks that refuses a transaction
 * over EIP-7825's 2^24 gas: hey_mycroft_v0.1's key (conjectured-evm), whose one-transaction registration took 166.7 M, registered
 * in parts each under the cap, then an honest proof verified through the session. The attacker's moves against the parts, on
 * synthetic keys (registration checks hashes, not contents): a key used before its seal (UnknownKey), chunks of another key,
 * reordered, left out or added (WrongKeyData), the same bytes deployed by someone else (NotAChunk), a front-runner storing the
 * honest chunks or sealing a key of the same model id with other parts first (the honest key registers as its own vkHash).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRegistrationTest {
    private static final long CAP = VerifierSession.TX_GAS_CAP;

    private Chain chain;
    private ChainAccount deployer;
    private ChainAccount attacker;
    private List<String> stages;

    @BeforeAll
    void start() throws Exception {
        chain = new Chain(0, true);
        deployer = chain.account("key-registrar");
        attacker = chain.account("key-attacker");
        stages = VerifierSession.deployStages(deployer);
    }

    @AfterAll
    void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    private VerifierSession newSession() {
        return new VerifierSession(deployer, VerifierSession.deploy(deployer, stages).contractAddress());
    }

    /** A synthetic key: {@code tableBytes} random bytes of tables (seeded), a short cfg and program. */
    private static VerifierSession.KeyParts synthetic(String model, int tableBytes, long seed) {
        byte[] tables = new byte[tableBytes];
        new Random(seed).nextBytes(tables);
        byte[] program = new byte[3_000];
        new Random(seed + 1).nextBytes(program);
        return new VerifierSession.KeyParts(Hash.sha3(model.getBytes(StandardCharsets.UTF_8)), List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.TEN),
                tables, program, 1_000, Hash.sha3(tables), 18, 15, VerifierSession.KeyParts.CONJECTURED_EVM);
    }

    /** Whether the session knows key {@code vkHash} (split answers UnknownKey for a key it does not know). */
    private static boolean known(VerifierSession s, byte[] vkHash) {
        try {
            s.split(vkHash, new byte[100]);
            return true;
        } catch (ChainException e) {
            return !e.error().equals("UnknownKey");
        }
    }

    private static String refusal(Runnable r) {
        return assertThrows(ChainException.class, r::run).error();
    }

    @Test
    void heyMycroftsKeyIsRegisteredInPartsUnderTheCapAndAProofVerifiesThroughTheSession() {
        EthProofFixture f = EthProofFixture.fresh(RealModels.HEY_MYCROFT, PcsSecurity.CONJECTURED_EVM);
        VerifierSession s = newSession();
        VerifierSession.KeyParts key = f.keyParts();
        byte[] vkHash = key.vkHash();
        List<VerifierSession.Step> stored = s.storeChunks(key, CAP);
        assertTrue(stored.size() > 1, "hey_mycroft_v0.1's key takes more than one transaction");
        assertFalse(known(s, vkHash), "a key whose chunks are stored but not sealed is unknown to every stage");
        VerifierSession.Step seal = s.sealKey(key, CAP);
        assertArrayEquals(vkHash, seal.handover());
        StringBuilder gas = new StringBuilder();
        for (VerifierSession.Step st : stored) {
            assertTrue(st.receipt().gasUsed() <= CAP);
            gas.append(String.format("%,d + ", st.receipt().gasUsed()));
        }
        assertTrue(seal.receipt().gasUsed() <= CAP);
        System.out.printf("hey_mycroft_v0.1 conjectured-evm key registered in %d parts and a seal: %sseal %,d%n", stored.size(), gas, seal.receipt().gasUsed());
        byte[] context = Hash.sha3("registered in parts".getBytes(StandardCharsets.UTF_8));
        byte[] proof = f.proveBound(context);
        byte[] statement = RealModelGasTest.statement(f, vkHash, context, proof);
        VerifierSession.Parts parts = s.split(vkHash, proof);
        List<VerifierSession.Step> run = s.verifyOnChain(vkHash, statement, parts, CAP);
        assertTrue(s.verify(vkHash, statement, parts.proofHash()), "the session accepts the honest proof under the key registered in parts");
        System.out.printf("hey_mycroft_v0.1 conjectured-evm verified in %d transactions: %s%n", run.size(),
                run.stream().map(st -> String.format("%,d", st.receipt().gasUsed())).toList());
        // Registering again (a resumed or copied registration) stores nothing and seals the same key.
        assertEquals(1, s.register(key, CAP).size());
    }

    @Test
    void aKeyThatFitsOneTransactionIsRegisteredInOneAndTheSameKeyInParts() {
        VerifierSession.KeyParts small = synthetic("small", 40_000, 1);
        VerifierSession one = newSession();
        List<VerifierSession.Step> steps = one.register(small, CAP);
        assertEquals(1, steps.size());
        assertArrayEquals(small.vkHash(), steps.getFirst().handover());
        // The same key registered in parts (a lower cap) is the same vkHash, usable once sealed.
        VerifierSession parts = newSession();
        List<VerifierSession.Step> inParts = parts.register(small, 8_000_000);
        assertTrue(inParts.size() > 2, "40 KB of tables in transactions planned for at most 6.5 M gas: chunks in several, then the seal");
        assertArrayEquals(small.vkHash(), inParts.getLast().handover());
        assertTrue(known(parts, small.vkHash()));
    }

    @Test
    void chunksOfAnotherKeyReorderedLeftOutOrAddedAreRefusedAtTheSeal() {
        VerifierSession s = newSession();
        VerifierSession.KeyParts a = synthetic("model", 60_000, 2);
        VerifierSession.KeyParts b = synthetic("model", 60_000, 3); // the same model id, other tables
        s.storeChunks(a, CAP);
        s.storeChunks(b, CAP);
        List<String> ac = addresses(s, a);
        List<String> bc = addresses(s, b);
        // a: cfg chunk 0, tables chunks 1..3, program chunk 4
        List<String> swapped = new ArrayList<>(ac);
        Collections.swap(swapped, 1, 2);
        List<String> foreign = new ArrayList<>(ac);
        foreign.set(2, bc.get(2));
        List<String> shorter = new ArrayList<>(ac);
        shorter.remove(3);
        List<String> longer = new ArrayList<>(ac);
        longer.add(4, bc.get(3));
        assertEquals("WrongKeyData", refusal(() -> s.sealKey(a, swapped, 1, 4, CAP)), "tables' chunks reordered");
        assertEquals("WrongKeyData", refusal(() -> s.sealKey(a, foreign, 1, 4, CAP)), "a chunk of another key of the same model id");
        assertEquals("WrongKeyData", refusal(() -> s.sealKey(a, shorter, 1, 3, CAP)), "a chunk left out");
        assertEquals("WrongKeyData", refusal(() -> s.sealKey(a, longer, 1, 5, CAP)), "a chunk added");
        assertEquals("WrongKeyData", refusal(() -> s.sealKey(a, ac, 1, 3, CAP)), "a chunk moved from the tables to the program");
        assertFalse(known(s, a.vkHash()), "no refused seal registers the key");
        // Control: the chunks in order seal the key.
        assertArrayEquals(a.vkHash(), s.sealKey(a, ac, 1, 4, CAP).handover());
        assertTrue(known(s, a.vkHash()));
    }

    @Test
    void theSameBytesDeployedByAnyoneButTheSessionAreRefused() {
        VerifierSession s = newSession();
        VerifierSession.KeyParts a = synthetic("copied", 30_000, 4);
        List<String> ac = addresses(s, a);
        // The attacker deploys contracts whose code is the chunks' exactly (STOP ‖ bytes), by its own CREATE.
        List<String> copies = VerifierSession.chunks(a).stream().map(c -> attacker.deploy(Numeric.toHexString(VerifierSession.chunkCreation(c)), VerifierSession::describe).contractAddress()).toList();
        for (int i = 0; i < copies.size(); i++) {
            assertArrayEquals(concat(new byte[1], VerifierSession.chunks(a).get(i)), attacker.code(copies.get(i)));
        }
        assertEquals("NotAChunk", refusal(() -> s.as(attacker).sealKey(a, copies, 1, 3, CAP)));
        List<String> oneCopied = new ArrayList<>(ac);
        oneCopied.set(1, copies.get(1));
        s.storeChunks(a, CAP);
        assertEquals("NotAChunk", refusal(() -> s.as(attacker).sealKey(a, oneCopied, 1, 3, CAP)));
        // A chunk made by another session is not this session's either.
        VerifierSession other = newSession();
        other.storeChunks(a, CAP);
        assertEquals("NotAChunk", refusal(() -> s.sealKey(a, addresses(other, a), 1, 3, CAP)));
        assertFalse(known(s, a.vkHash()));
        assertArrayEquals(a.vkHash(), s.sealKey(a, CAP).handover());
    }

    @Test
    void aFrontRunnerTakesNothingFromTheHonestRegistration() {
        VerifierSession s = newSession();
        VerifierSession.KeyParts honest = synthetic("contested", 60_000, 5);
        VerifierSession.KeyParts rival = synthetic("contested", 60_000, 6); // the same model id, other tables
        // The attacker stores the honest chunks first, and registers its own key of the same model id in parts.
        s.as(attacker).storeChunks(honest, CAP);
        List<VerifierSession.Step> rivals = s.as(attacker).register(rival, CAP);
        assertArrayEquals(rival.vkHash(), rivals.getLast().handover());
        // The honest registration stores nothing more (its chunks' addresses are its bytes'), and seals its own key.
        assertEquals(List.of(), s.storeChunks(honest, CAP));
        // The attacker seals the honest key before its owner: that registers exactly the honest key.
        assertArrayEquals(honest.vkHash(), s.as(attacker).sealKey(honest, CAP).handover());
        List<VerifierSession.Step> again = s.register(honest, CAP);
        assertArrayEquals(honest.vkHash(), again.getLast().handover());
        assertFalse(java.util.Arrays.equals(honest.vkHash(), rival.vkHash()));
        assertTrue(known(s, honest.vkHash()) && known(s, rival.vkHash()));
    }

    private static List<String> addresses(VerifierSession s, VerifierSession.KeyParts key) {
        return VerifierSession.chunks(key).stream().map(c -> VerifierSession.chunkAddress(s.address(), c)).toList();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
