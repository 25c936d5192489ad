package dev.verinfer.eth;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.RealModels;
import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * LayerProgram.sol (run by LayerHarness after the head, the LogUp-GKR argument and the look-up checks)
 * against the Java verifier on a real alexa_v0.1 proof, from the look-up argument's end to the
 * commitment opening: the column terms, the max check, the three Gemm sumchecks with their biases,
 * the flatten's reshape selection, the claim batching of every tensor, the input's MLE, the weight
 * claims' batching and the witness claims' batching with the padding zero-check. The honest proof is
 * accepted by both with bit-identical opening claims (points and values) and the same offset where the
 * opening starts; every tampered proof (8-byte windows across the section, non-canonical elements,
 * length fields, bit flips, truncations, appended bytes) gets the same verdict, and the same claims and
 * offset when both accept. Every contract rejection is a clean Rejected/Malformed revert.
 * {@code -Dverinfer.eth.differential.scale=N} runs N times as many random tampers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerDifferentialTest {
    private static final int SCALE = Integer.getInteger("verinfer.eth.differential.scale", 1);
    /** {@code -Dverinfer.eth.heavy=true}: the heavy models' tampers too (CI runs their honest proofs only). */
    private static final boolean HEAVY = Boolean.getBoolean("verinfer.eth.heavy");

    private Chain chain;
    private ProofStages stages;
    private EthProofFixture alexa;
    private int start;
    private int end;

    record Verdict(boolean accepted, String digest, int end) {}

    /** The key's setting: proven here; {@link ProvenEvmLayerDifferentialTest} runs the same tampers under proven-evm's program. */
    PcsSecurity security() {
        return PcsSecurity.PROVEN;
    }

    /** The model: alexa_v0.1 here; the real-model subclasses run the same tampers on theirs. */
    RealModels model() {
        return RealModels.ALEXA;
    }

    /**
     * The labels of the messages that the model's own ops read and that the tampers must each reach: for each, every element sent
     * under it is altered (a coordinate, alternately raised by one and replaced at random), and so is every value of the sumcheck
     * whose final check reads it (the one just before it in the proof: each round value once, its c0 or c1 in turn). None here: the windows below cover alexa's section densely.
     */
    List<String> targetedLabels() {
        return List.of();
    }

    /** Whether the model's tampers are too slow for CI (its stage calls carry a program of 100 KB and more): run with {@link #HEAVY} only. */
    boolean heavy() {
        return false;
    }

    /** At most this many 8-byte windows across the layer section (times the scale). */
    int windows() {
        return 200;
    }

    /** At most this many altered values per label (the heavy models' sumchecks are many). */
    int sitesPerLabel() {
        return Integer.MAX_VALUE;
    }

    @BeforeAll
    void start() throws Exception {
        alexa = EthProofFixture.of(model(), security());
        chain = heavy() ? new Chain(1_000_000_000L) : new Chain(); // a heavy model's stage 1 with its tables as calldata can take over 30 M
        stages = new ProofStages(chain, "layer-verifier");
        start = alexa.lookups(alexa.proof).end();
        end = alexa.layers(alexa.proof).end();
    }

    @AfterAll
    void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    /**
     * Stage 1, then stage 2 on its hand-over: accepted with the opening claims' digest and offset, or
     * rejected. The stages read nothing past the layers, so the calls carry the proof only to 64 bytes
     * past the honest proof's opening offset (a tenth of the calldata; the verdict cannot change).
     */
    Verdict contract(byte[] whole) {
        byte[] proof = Arrays.copyOf(whole, Math.min(whole.length, end + 64));
        ProofStages.LookupHandover handover = stages.lookup(alexa, proof);
        ProofStages.LayerHandover out = handover == null ? null : stages.layers(alexa, handover, proof);
        if (out == null) {
            return new Verdict(false, null, -1);
        }
        ByteArrayOutputStream words = new ByteArrayOutputStream();
        for (Uint256 w : out.claims()) {
            words.writeBytes(Numeric.toBytesPadded(w.getValue(), 32));
        }
        return new Verdict(true, Numeric.toHexStringNoPrefix(Hash.sha3(words.toByteArray())), out.end());
    }

    /** Both verdicts must agree, with identical opening claims and offset when both accept; returns the verdict. */
    boolean same(byte[] proof, String what) {
        EthProofFixture.LookupVerdict java = alexa.layers(proof);
        Verdict sol = contract(proof);
        assertEquals(java.accepted(), sol.accepted(), what + ": Java " + (java.accepted() ? "reaches the opening" : "rejects (" + java.reason() + ")") + ", the contract does not");
        if (java.accepted()) {
            assertEquals(Numeric.toHexStringNoPrefix(Hash.sha3(java.claimWords())), sol.digest(), what + ": opening claims differ");
            assertEquals(java.end(), sol.end(), what + ": end offsets differ");
        }
        return java.accepted();
    }

    @Test
    void honestLayersOfARealProofReachTheOpeningWithIdenticalClaims() {
        assertTrue(same(alexa.proof, "honest proof"));
        long lookups = stages.gas(stages.lookupStage, ProofStages.lookupCalldata(alexa, alexa.proof));
        ProofStages.LookupHandover handover = stages.lookup(alexa, alexa.proof);
        long layers = stages.gas(stages.layerStage, ProofStages.layerCalldata(handover, alexa.layerProgram(), alexa.layerRegisters(), alexa.proof));
        long layersEmpty = stages.gas(stages.layerStage, ProofStages.layerCalldata(handover, new byte[0], alexa.layerRegisters(), alexa.proof));
        System.out.printf(alexa.model.modelName + " stages (eth_estimateGas, each with the whole proof as calldata): lookup stage %,d; layer stage %,d "
                        + "(%,d of it the program's run: the same call with an empty program costs %,d); layer section of the proof %,d..%,d (%,d bytes); "
                        + "program %,d bytes, %,d instructions, %,d registers%n",
                lookups, layers, layers - layersEmpty, layersEmpty, start, end, end - start, alexa.layerProgram().length, alexa.layerInstructions(),
                alexa.layerRegisters());
    }

    @Test
    void everyTamperOfTheLayerSectionGetsTheJavaVerdict() {
        assumeTrue(!heavy() || HEAVY, "a heavy model's tampers: -Dverinfer.eth.heavy=true");
        SplittableRandom rng = new SplittableRandom(2027);
        int total = 0;
        int reached = 0;
        // an 8-byte window every 48 bytes (every 12 at scale 4; sparser in a section over windows() · 48 bytes) across the section: element coordinates, length fields and both straddled
        for (int at = start; at + 8 <= end; at += Math.max(Math.max(12, 48 / SCALE), (end - start) / (windows() * SCALE))) {
            byte[] t = alexa.proof.clone();
            long old = LogUpGkrDifferentialTest.getLong(t, at);
            long v = switch (total % 4) {
                case 0 -> Goldilocks.random(rng);
                case 1 -> (old + 1) % Goldilocks.P;
                case 2 -> old + Goldilocks.P; // non-canonical when old is an element
                default -> rng.nextLong();
            };
            LogUpGkrDifferentialTest.putLong(t, at, v);
            reached += same(t, "window at " + at) ? 1 : 0;
            total++;
        }
        for (int i = 0; i < 75 * SCALE; i++) {
            byte[] t = alexa.proof.clone();
            int at = start + rng.nextInt(end - start);
            switch (i % 6) {
                case 0 -> t = Arrays.copyOf(t, at);
                case 1 -> t = Arrays.copyOf(t, end + 1 + rng.nextInt(64)); // the opening cut: the layers are whole
                case 2 -> {
                    t = Arrays.copyOf(t, t.length + 16);
                    System.arraycopy(alexa.proof, at, t, at + 16, alexa.proof.length - at);
                }
                default -> t[at] ^= (byte) (1 << rng.nextInt(8));
            }
            reached += same(t, "random tamper #" + i + " at " + at) ? 1 : 0;
            total++;
        }
        System.out.printf(alexa.model.modelName + " layers: %d tampered proofs, identical verdicts (%d reached the opening in both)%n", total, reached);
    }

    @Test
    void everyValueTheModelsOwnOpsReadGetsTheJavaVerdict() {
        assumeTrue(!heavy() || HEAVY, "a heavy model's tampers: -Dverinfer.eth.heavy=true");
        SplittableRandom rng = new SplittableRandom(2029);
        int total = 0;
        int reached = 0;
        for (String label : targetedLabels()) {
            List<Integer> sites = new ArrayList<>();
            List<Integer> evals = alexa.messageOffsets(label);
            for (int i = 0; i < evals.size(); i++) {
                int at = evals.get(i);
                sites.add(at);
                sites.add(at + 8);
                boolean first = i == 0 || evals.get(i - 1) + 16 != at; // a message's first element: its sumcheck ends at its length field, if any
                if (first) {
                    assertTrue(at >= start, label + " at " + at + " lies before the layer section");
                    List<Integer> sumcheck = sumcheckValuesBefore(alexa.proof, at - 4);
                    sites.addAll(sumcheck.isEmpty() ? sumcheckValuesBefore(alexa.proof, at) : sumcheck);
                }
            }
            if (sites.size() > sitesPerLabel()) { // evenly spread over the label's messages and sumchecks
                List<Integer> all = sites;
                sites = IntStream.range(0, sitesPerLabel()).mapToObj(k -> all.get((int) ((long) k * all.size() / sitesPerLabel()))).toList();
            }
            for (int k = 0; k < sites.size(); k++) {
                byte[] t = alexa.proof.clone();
                int at = sites.get(k);
                long old = LogUpGkrDifferentialTest.getLong(t, at);
                LogUpGkrDifferentialTest.putLong(t, at, k % 2 == 0 ? (old + 1) % Goldilocks.P : Goldilocks.random(rng));
                reached += same(t, label + " site " + k + " at " + at) ? 1 : 0;
                total++;
            }
        }
        assertEquals(0, reached, "a tampered value reached the opening");
        System.out.printf(alexa.model.modelName + " layers: %d values of %s and their sumchecks altered, rejected by both%n", total, targetedLabels());
    }

    /**
     * The coordinates of the sumcheck proof (SumcheckProof.write: a round count n, then n rounds each a length and its values) that
     * ends at {@code end}: the n and round length d for which the bytes before {@code end} parse as such; none if they do not.
     */
    static List<Integer> sumcheckValuesBefore(byte[] proof, int end) {
        for (int degree = 1; degree <= 4; degree++) {
            for (int n = 1; n <= 40; n++) {
                int from = end - 4 - n * (4 + 16 * degree);
                if (from < 0 || ByteBuffer.wrap(proof, from, 4).getInt() != n) {
                    continue;
                }
                boolean rounds = true;
                for (int r = 0; r < n && rounds; r++) {
                    rounds = ByteBuffer.wrap(proof, from + 4 + r * (4 + 16 * degree), 4).getInt() == degree;
                }
                if (rounds) {
                    List<Integer> sites = new ArrayList<>();
                    for (int r = 0; r < n; r++) {
                            for (int v = 0; v < degree; v++) { // each value once, its c0 or its c1 in turn
                            sites.add(from + 4 + r * (4 + 16 * degree) + 4 + 16 * v + 8 * ((r + v) % 2));
                        }
                    }
                    return sites;
                }
            }
        }
        return List.of();
    }
}
