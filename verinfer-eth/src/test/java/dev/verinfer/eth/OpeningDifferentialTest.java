package dev.verinfer.eth;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.whir.WhirParameters;
import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole on-chain verifier — ZkmlLookupStage, ZkmlLayerStage, ZkmlOpeningStage and ZkmlFinalStage
 * chained on their hand-overs — against Java's Verifier.verify on real alexa_v0.1 proofs: the honest proof
 * of each setting (PROVEN, PROVEN_EVM, CONJECTURED, CONJECTURED_EVM) is accepted by all stages, and every tamper of the opening
 * section gets Java's verdict: per kind of WHIR message (the sumcheck's fold messages, out-of-domain
 * and query answers, the batch's cross values, Merkle siblings and roots, the final polynomial,
 * nonces, length fields, non-canonical elements) and at random (byte flips, truncations, appended
 * bytes, swapped blocks), plus flips anywhere in the proof through all stages. A hand-over whose
 * claimed value or witness root differs from the proof's is refused. Stages 1 and 2 read the proof only
 * up to the opening (LayerDifferentialTest's truncations), so for tampers inside the opening their
 * hand-over is the honest proof's, computed once. {@code -Dverinfer.eth.differential.scale=N} runs N
 * times as many tampers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpeningDifferentialTest {
    private static final int SCALE = Integer.getInteger("verinfer.eth.differential.scale", 1);
    /** Every stage of both settings fits a 30 M-gas block (anvil's default): the chain the session runs on. */
    private static final long GAS_LIMIT = 30_000_000L;
    private static final PcsSecurity[] SETTINGS = {PcsSecurity.PROVEN, PcsSecurity.PROVEN_EVM, PcsSecurity.CONJECTURED, PcsSecurity.CONJECTURED_EVM};

    private Chain chain;
    private ProofStages stages;
    private final Map<PcsSecurity, Honest> honest = new EnumMap<>(PcsSecurity.class);

    /** A setting's proof and the honest hand-overs of stages 1 and 2. */
    private record Honest(EthProofFixture fixture, ProofStages.LookupHandover lookup, ProofStages.LayerHandover layers) {
        byte[] opening() {
            return Arrays.copyOfRange(fixture.proof, layers.end(), fixture.proof.length);
        }
    }

    @BeforeAll
    void start() throws Exception {
        chain = new Chain(GAS_LIMIT);
        stages = new ProofStages(chain, "opening-verifier");
        for (PcsSecurity s : SETTINGS) {
            EthProofFixture f = EthProofFixture.alexa(s);
            ProofStages.LookupHandover h = stages.lookup(f, f.proof);
            ProofStages.LayerHandover l = stages.layers(f, h, f.proof);
            honest.put(s, new Honest(f, h, l));
        }
    }

    @AfterAll
    void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    /** Stage 3 on the honest hand-overs and {@code opening} in place of the proof's. */
    private boolean openingAccepted(PcsSecurity s, byte[] opening) {
        Honest h = honest.get(s);
        return stages.opening(ProofStages.openingCalldata(h.fixture(), s, h.lookup().witnessRoot(), h.layers(), opening));
    }

    private static byte[] withOpening(byte[] proof, int at, byte[] opening) {
        byte[] t = Arrays.copyOf(proof, at + opening.length);
        System.arraycopy(opening, 0, t, at, opening.length);
        return t;
    }

    @Test
    void honestProofsOfBothSettingsPassAllStages() {
        StringBuilder over = new StringBuilder();
        StringBuilder table = new StringBuilder("| setting | stage 1 | stage 2 | stage 3 | stage 4 | total | calldata bytes (1 / 2 / 3 / 4) |\n|---|---|---|---|---|---|---|\n");
        for (PcsSecurity s : SETTINGS) {
            Honest h = honest.get(s);
            EthProofFixture f = h.fixture();
            assertTrue(f.verifies(f.proof), "Java rejects the honest proof");
            assertTrue(stages.all(f, s, f.proof), s + ": the stages reject the honest proof");
            // What a caller sends: stages 1 and 2 the proof up to the opening, stage 3 the opening, stage 4 stage 3's hand-over.
            byte[] head = Arrays.copyOf(f.proof, h.layers().end());
            String c1 = ProofStages.lookupCalldata(f, head);
            String c2 = ProofStages.layerCalldata(h.lookup(), f.layerProgram(), f.layerRegisters(), head);
            String c3 = ProofStages.openingCalldata(f, s, h.lookup().witnessRoot(), h.layers(), h.opening());
            assertTrue(stages.lookup(f, head) != null && stages.layers(f, h.lookup(), head) != null && stages.opening(c3), "stages on the cut calldata");
            long g1 = stages.gas(stages.lookupStage, c1);
            long g2 = stages.gas(stages.layerStage, c2);
            long g3 = stages.gas(stages.openingStage, c3);
            byte[] h3 = stages.openingHandover(c3);
            String c4 = ProofStages.finalCalldata(h3);
            long g4 = stages.gas(stages.finalStage, c4);
            for (long g : new long[] {g1, g2, g3, g4}) {
                over.append(g <= 20_000_000L ? "" : s + ": a stage takes " + g + " gas, over the 20 M target; ");
            }
            table.append(String.format("| %s | %,d | %,d | %,d | %,d | %,d | %,d / %,d / %,d / %,d |%n", s.label(), g1, g2, g3, g4, g1 + g2 + g3 + g4,
                    c1.length() / 2 - 1, c2.length() / 2 - 1, c3.length() / 2 - 1, c4.length() / 2 - 1));
        }
        System.out.print("alexa_v0.1, the stages (eth_estimateGas, calldata included; proof of " + honest.get(PcsSecurity.PROVEN).fixture().proof.length
                + " / " + honest.get(PcsSecurity.CONJECTURED).fixture().proof.length + " bytes; opening claims on " + honest.get(PcsSecurity.PROVEN).fixture().openingLayout().weightVars()
                + " weight and " + honest.get(PcsSecurity.PROVEN).fixture().openingLayout().witnessVars() + " witness variables):\n" + table);
        assertEquals("", over.toString());
    }

    @Test
    void everyTamperOfTheOpeningGetsTheJavaVerdict() {
        SplittableRandom rng = new SplittableRandom(2028);
        List<ProofTamper.Kind> kinds = Arrays.stream(ProofTamper.Kind.values()).filter(k -> !k.name().startsWith("CLAIM_")).toList();
        int total = 0;
        int accepted = 0;
        for (PcsSecurity s : SETTINGS) {
            Honest h = honest.get(s);
            byte[] proof = h.fixture().proof;
            int at = h.layers().end();
            WhirParameters params = switch (s) {
                case PROVEN -> WhirParameters.PROVEN;
                case PROVEN_EVM -> WhirParameters.PROVEN_EVM;
                case CONJECTURED_EVM -> WhirParameters.CONJECTURED_EVM;
                default -> WhirParameters.CONJECTURED;
            };
            var base = new WhirVerifierDifferentialTest.Opening(params, List.of(), h.opening());
            ProofTamper tamper = new ProofTamper(h.opening(), params);
            // PROVEN: every kind twice (the larger opening); PROVEN_EVM, CONJECTURED and CONJECTURED_EVM: once.
            for (int i = 0; i < (s == PcsSecurity.PROVEN ? 2 : 1) * SCALE; i++) {
                for (ProofTamper.Kind kind : kinds) {
                    var t = tamper.apply(kind, base, rng);
                    if (t == null) {
                        continue;
                    }
                    boolean java = h.fixture().verifies(withOpening(proof, at, t.proof()));
                    assertEquals(java, openingAccepted(s, t.proof()), s + " " + kind + " tamper #" + i + ": Java " + (java ? "accepts" : "rejects"));
                    accepted += java ? 1 : 0;
                    total++;
                }
            }
        }
        // Flips anywhere in the proof, through all stages.
        EthProofFixture f = honest.get(PcsSecurity.PROVEN).fixture();
        for (int i = 0; i < 6 * SCALE; i++) {
            byte[] t = f.proof.clone();
            t[rng.nextInt(t.length)] ^= (byte) (1 << rng.nextInt(8));
            boolean java = f.verifies(t);
            assertEquals(java, stages.all(f, PcsSecurity.PROVEN, t), "flip #" + i + ": Java " + (java ? "accepts" : "rejects"));
            accepted += java ? 1 : 0;
            total++;
        }
        System.out.printf("alexa_v0.1 opening: %d tampered proofs, identical verdicts (%d accepted by both)%n", total, accepted);
        assertTrue(total >= 40 * SCALE, "only " + total + " tampers ran");
    }

    /**
     * A prover whose look-up argument reads another sigmoid table than the key's (one entry no look-up reads raised by one, the
     * rest derived honestly) is refused by Java and by the stages in every setting: under proven and conjectured keys by the
     * verifier's evaluation of the table (stage 1), under the proven-evm and conjectured-evm keys, which commit the table with their weights
     * (TableCommitment), by the weights' claim batching (stage 2) or opening.
     */
    @Test
    void aProofWhoseLookUpsReadAnotherTableIsRefusedByBoth() {
        assertTrue(honest.get(PcsSecurity.PROVEN_EVM).fixture().commitsTables(), "the proven-evm key commits the sigmoid window");
        assertTrue(honest.get(PcsSecurity.CONJECTURED_EVM).fixture().commitsTables(), "so does the conjectured-evm key");
        assertFalse(honest.get(PcsSecurity.PROVEN).fixture().commitsTables(), "the proven key does not");
        System.out.println("alexa_v0.1 proven-evm: " + honest.get(PcsSecurity.PROVEN_EVM).fixture().committedTables());
        for (PcsSecurity s : SETTINGS) {
            EthProofFixture f = honest.get(s).fixture();
            byte[] cheat = f.proveWithAnotherTable();
            String why = f.rejection(cheat);
            assertTrue(f.commitsTables() ? why.contains("claim batching") || why.contains("commitment opening") : why.contains("table evaluation is wrong"),
                    s + ": Java's verdict: '" + why + "'");
            ProofStages.LookupHandover h = stages.lookup(f, cheat);
            if (f.commitsTables()) { // stage 1 leaves the values column's claim to the weights' batch: stage 2 refuses it
                assertNotNull(h, s + ": stage 1 checks no committed table's values");
                assertNull(stages.layers(f, h, cheat), s + ": stage 2 accepts the other table's claim on the weights");
            } else {
                assertNull(h, s + ": stage 1 accepts another table's evaluation");
            }
            assertFalse(stages.all(f, s, cheat), s + ": the stages accept a look-up argument over another table");
        }
    }

    /**
     * The final stage reads each query's weight term from its table of f̂ on the queries' subgroup (an NTT) at the index stage 3 hands
     * over beside the point (Terms.roots, (log2 order) << 32 | (index + 1)): the proven hand-over with one query's index moved to the next
     * point of the subgroup is rejected, for the first, a middle and the last query (the session trusts a hand-over only by its hash; this
     * shows the index is what the check reads).
     */
    @Test
    void theFinalStageReadsEachQuerysOwnEvaluation() {
        Honest h = honest.get(PcsSecurity.PROVEN);
        byte[] h3 = stages.openingHandover(ProofStages.openingCalldata(h.fixture(), PcsSecurity.PROVEN, h.lookup().witnessRoot(), h.layers(), h.opening()));
        assertTrue(stages.finalAccepts(h3), "the honest hand-over");
        // WhirOpening.handover's packing: nine header words, then arrays of an 8-byte length and 8-byte values, roots[] the 13th.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h3);
        int roots = 9 * 32;
        for (int a = 0; a < 12; a++) {
            roots += 8 + 8 * (int) b.getLong(roots);
        }
        int count = (int) b.getLong(roots);
        List<Integer> tagged = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            if (b.getLong(roots + 8 + 8 * k) != 0) {
                tagged.add(roots + 8 + 8 * k);
            }
        }
        // The Johnson-bound proven preset draws 62 iteration-0 queries on alexa (127 at the unique-decoding radius).
        assertTrue(tagged.size() >= 60, "the proven opening's round-0 queries are tagged: " + tagged.size());
        for (int at : List.of(tagged.getFirst(), tagged.get(tagged.size() / 2), tagged.getLast())) {
            byte[] t = h3.clone();
            java.nio.ByteBuffer.wrap(t).putLong(at, b.getLong(at) + 1);
            assertFalse(stages.finalAccepts(t), "a query's index moved at byte " + at);
        }
    }

    /** The hand-over is trusted only as far as it is the stages' own output: a changed claimed value or witness root is refused. */
    @Test
    void aHandoverThatIsNotTheProofsIsRefused() {
        Honest h = honest.get(PcsSecurity.PROVEN);
        List<Uint256> claims = new ArrayList<>(h.layers().claims());
        int value = 2 * h.fixture().openingLayout().weightVars(); // the weight claim's value, c0
        claims.set(value, ProofStages.word(Goldilocks.add(claims.get(value).getValue().longValue(), 1)));
        var changed = new ProofStages.LayerHandover(h.layers().transcript(), h.layers().counter(), claims, h.layers().end());
        assertFalse(stages.opening(ProofStages.openingCalldata(h.fixture(), PcsSecurity.PROVEN, h.lookup().witnessRoot(), changed, h.opening())),
                "a changed claimed value");
        byte[] root = h.lookup().witnessRoot().getValue().clone();
        root[7] ^= 1;
        assertFalse(stages.opening(ProofStages.openingCalldata(h.fixture(), PcsSecurity.PROVEN, new Bytes32(root), h.layers(),
                h.opening())), "another witness root");
    }
}
