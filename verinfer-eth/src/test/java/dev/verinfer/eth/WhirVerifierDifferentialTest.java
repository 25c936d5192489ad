package dev.verinfer.eth;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import dev.verinfer.whir.WhirParameters;
import dev.verinfer.whir.WhirPcs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Solidity WHIR verifier (WhirVerifier.sol) against the Java one (verinfer-whir) on the same
 * openings: honest ones of both settings must be accepted by both, and every tampered one must get the
 * same verdict from both — tampers of the sumcheck messages, out-of-domain and query answers, Merkle
 * siblings, final polynomial, nonces, length fields and claims, non-canonical field elements, random
 * byte flips, truncations and appended bytes. A contract rejection must be a clean revert with
 * {@code Rejected(code)}; anything else (out of gas, a panic) fails the test. CI runs about 1,100
 * tampers; {@code -Dverinfer.eth.differential.scale=N} runs N times as many.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhirVerifierDifferentialTest {
    private static final String DOMAIN = "verinfer-whir-differential";
    private static final String REJECTED = Hash.sha3String("Rejected(uint256)").substring(0, 10);
    private static final int SCALE = Integer.getInteger("verinfer.eth.differential.scale", 1);

    private Chain chain;
    private ChainAccount account;
    private String verifier;

    /** One WHIR opening: its parameters, the claims, and the proof bytes exactly as WhirProof.write emits them. */
    record Opening(WhirParameters params, List<PcsClaim> claims, byte[] proof) {}

    /** A contract verdict: accepted, or rejected with the contract's reason code. */
    record Verdict(boolean accepted, int code) {}

    @BeforeAll
    void start() throws Exception {
        chain = new Chain();
        account = chain.account("whir-verifier");
        // The opening and the checks on the final polynomial are the opening and final stages', deployed apart (as in a session).
        String openingStage = account.deploy(Artifact.load(WhirVerifierDifferentialTest.class, "ZkmlOpeningStage").bytecode(), d -> d).contractAddress();
        String finalStage = account.deploy(Artifact.load(WhirVerifierDifferentialTest.class, "ZkmlFinalStage").bytecode(), d -> d).contractAddress();
        verifier = account.deploy(Artifact.load(WhirVerifierDifferentialTest.class, "WhirVerifier").bytecode()
                + org.web3j.abi.FunctionEncoder.encodeConstructor(List.of(new org.web3j.abi.datatypes.Address(openingStage),
                        new org.web3j.abi.datatypes.Address(finalStage))), d -> d).contractAddress();
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    static Opening honest(WhirParameters params, int[] numVars, int claimsEach, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        WhirPcs pcs = new WhirPcs(params);
        List<PcsOpening> openings = new ArrayList<>();
        for (int n : numVars) {
            long[] table = new long[1 << n];
            for (int i = 0; i < table.length; i++) {
                table[i] = Goldilocks.random(rng);
            }
            PcsCommitment c = pcs.commit(table);
            for (int k = 0; k < claimsEach; k++) {
                Ext2[] point = new Ext2[n];
                for (int j = 0; j < n; j++) {
                    point[j] = Ext2.random(rng);
                }
                openings.add(new PcsOpening(c, point, Mle.evaluate(table, point)));
            }
        }
        PcsOpeningProof proof = pcs.open(new Transcript(DOMAIN), openings);
        ProofWriter w = ProofWriter.begin("WHRT", 1);
        proof.write(w);
        byte[] all = w.toByteArray();
        return new Opening(params, openings.stream().map(PcsOpening::claim).toList(), Arrays.copyOfRange(all, 5, all.length));
    }

    static boolean javaAccepts(Opening o) {
        WhirPcs pcs = new WhirPcs(o.params());
        byte[] framed = new byte[o.proof().length + 5];
        System.arraycopy("WHRT".getBytes(StandardCharsets.US_ASCII), 0, framed, 0, 4);
        framed[4] = 1;
        System.arraycopy(o.proof(), 0, framed, 5, o.proof().length);
        try {
            ProofReader r = ProofReader.open(framed, "WHRT", 1);
            PcsOpeningProof p = pcs.readProof(r);
            r.finish();
            pcs.verify(new Transcript(DOMAIN), o.claims(), p);
            return true;
        } catch (MalformedProofException | PcsRejectedException e) {
            return false;
        }
    }

    static String calldata(Opening o) {
        List<Uint256> claims = new ArrayList<>();
        claims.add(new Uint256(o.claims().size()));
        for (PcsClaim c : o.claims()) {
            claims.add(new Uint256(new BigInteger(1, c.root())));
            claims.add(new Uint256(c.numVars()));
            for (Ext2 x : c.point()) {
                claims.add(new Uint256(new BigInteger(Long.toUnsignedString(x.c0()))));
                claims.add(new Uint256(new BigInteger(Long.toUnsignedString(x.c1()))));
            }
            claims.add(new Uint256(new BigInteger(Long.toUnsignedString(c.claimedValue().c0()))));
            claims.add(new Uint256(new BigInteger(Long.toUnsignedString(c.claimedValue().c1()))));
        }
        return FunctionEncoder.encode(new Function("verify", List.of(new Uint8(parameterSet(o.params())), new DynamicBytes(DOMAIN.getBytes(StandardCharsets.UTF_8)),
                new DynamicArray<>(Uint256.class, claims), new DynamicBytes(o.proof())), List.of()));
    }

    /** The contract's index of a parameter set (WhirOpening.SCHEDULES). */
    static int parameterSet(WhirParameters p) {
        int set = List.of(WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED, WhirParameters.PROVEN, WhirParameters.PROVEN_EVM, WhirParameters.CONJECTURED_EVM).indexOf(p);
        if (set < 0) {
            throw new IllegalArgumentException("the contract does not know " + p);
        }
        return set;
    }

    Verdict contract(Opening o) {
        var r = ChainAccount.rpc(() -> chain.web3j.ethCall(Transaction.createEthCallTransaction(account.address(), verifier, calldata(o)),
                DefaultBlockParameterName.LATEST).send(), "eth_call");
        if (!r.hasError() && !r.isReverted()) {
            assertEquals(BigInteger.ONE, Numeric.toBigInt(r.getValue()), "a verifier that returns must return true");
            return new Verdict(true, 0);
        }
        String data = r.hasError() ? r.getError().getData() : r.getRevertReason();
        data = data == null || !data.contains("0x") ? "" : data.substring(data.indexOf("0x")).replace("\"", "");
        if (!data.startsWith(REJECTED)) {
            throw new AssertionError("the contract did not reject cleanly: " + (r.hasError() ? r.getError().getMessage() + " " + data : data));
        }
        return new Verdict(false, Numeric.toBigInt(data.substring(10)).intValueExact());
    }

    long gas(Opening o) {
        var r = ChainAccount.rpc(() -> chain.web3j.ethEstimateGas(Transaction.createEthCallTransaction(account.address(), verifier, calldata(o))).send(), "eth_estimateGas");
        if (r.hasError()) {
            throw new AssertionError("eth_estimateGas: " + r.getError().getMessage());
        }
        return r.getAmountUsed().longValueExact();
    }

    @Test
    void honestOpeningsOfEverySettingAreAccepted() {
        int[][] shapes = {{0}, {1}, {3}, {4}, {5}, {9}, {12}, {2, 7}, {6, 6}, {12, 13}, {13, 12}, {14}, {9, 14}, {0, 5}, {3, 11, 8}};
        for (WhirParameters params : List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_EVM, WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED,
                WhirParameters.CONJECTURED_EVM)) {
            long seed = 1;
            for (int s = 0; s < shapes.length; s++) {
                int claimsEach = (s + params.logInverseRate()) % 2 == 0 ? 1 : 3; // each shape with one claim per table under some settings, three under others
                Opening o = honest(params, shapes[s], claimsEach, seed++);
                assertTrue(javaAccepts(o), "Java rejects an honest opening");
                Verdict v = contract(o);
                assertTrue(v.accepted(), params.soundness() + " rate 1/" + (1 << params.logInverseRate()) + " " + Arrays.toString(shapes[s]) + " x" + claimsEach + ": contract rejects with code " + v.code());
            }
        }
    }

    @Test
    void everyTamperGetsTheJavaVerdict() {
        List<Opening> bases = List.of(
                honest(WhirParameters.PROVEN, new int[] {8}, 1, 11),
                honest(WhirParameters.PROVEN, new int[] {3, 6}, 2, 12),
                honest(WhirParameters.CONJECTURED, new int[] {10}, 2, 13),
                honest(WhirParameters.CONJECTURED, new int[] {5}, 1, 14),
                honest(WhirParameters.PROVEN, new int[] {9}, 1, 15),
                honest(WhirParameters.CONJECTURED, new int[] {11, 4, 7}, 1, 16),
                honest(WhirParameters.PROVEN, new int[] {5, 10}, 1, 17),
                honest(WhirParameters.PROVEN_UNIQUE, new int[] {4, 9}, 1, 18),
                honest(WhirParameters.PROVEN_EVM, new int[] {9}, 1, 19),
                honest(WhirParameters.PROVEN_EVM, new int[] {4, 10}, 2, 20),
                honest(WhirParameters.CONJECTURED_EVM, new int[] {10}, 1, 21),
                honest(WhirParameters.CONJECTURED_EVM, new int[] {5, 11}, 2, 22));
        SplittableRandom rng = new SplittableRandom(2026);
        int perBase = 95 * SCALE;
        int total = 0;
        int accepted = 0;
        int[] byKind = new int[ProofTamper.Kind.values().length];
        for (Opening base : bases) {
            assertTrue(javaAccepts(base) && contract(base).accepted(), "honest base opening");
            ProofTamper tamper = new ProofTamper(base.proof(), base.params());
            for (int i = 0; i < perBase; i++) {
                ProofTamper.Kind kind = ProofTamper.Kind.values()[rng.nextInt(ProofTamper.Kind.values().length)];
                Opening t = tamper.apply(kind, base, rng);
                if (t == null) {
                    continue;
                }
                boolean java = javaAccepts(t);
                Verdict sol = contract(t);
                assertEquals(java, sol.accepted(), kind + " tamper #" + i + ": Java " + (java ? "accepts" : "rejects") + ", contract code " + sol.code());
                total++;
                byKind[kind.ordinal()]++;
                if (java) {
                    accepted++;
                }
            }
        }
        System.out.printf("WHIR differential: %d tampered openings, identical verdicts, %d accepted by both (equal bytes or claims); per kind %s%n",
                total, accepted, Arrays.toString(byKind));
        assertTrue(total >= 1000 * SCALE, "only " + total + " tampers ran");
    }

    @Test
    void gasOfOpeningsAtTheRealModelsSizes() {
        StringBuilder table = new StringBuilder("| setting | final arity ≤ | variables | claims | proof bytes | gas |\n|---|---|---|---|---|---|\n");
        for (WhirParameters params : List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_EVM, WhirParameters.CONJECTURED, WhirParameters.CONJECTURED_EVM)) {
            for (int[] shape : new int[][] {{16}, {17}, {19}, {19, 17}}) {
                Opening o = honest(params, shape, 1, 100 + shape[0] + shape.length);
                assertTrue(javaAccepts(o));
                assertTrue(contract(o).accepted(), "contract rejects an honest opening of " + Arrays.toString(shape) + " variables");
                table.append("| ").append(params.soundness()).append(", rate 1/").append(1 << params.logInverseRate()).append(" | ").append(params.finalVars()).append(" | ").append(Arrays.toString(shape)).append(" | ")
                        .append(shape.length).append(" | ").append(o.proof().length).append(" | ").append(gas(o)).append(" |\n");
            }
        }
        System.out.print("WHIR opening gas (eth_estimateGas, calldata included):\n" + table);
    }
}
