package dev.verinfer.eth;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckProof;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.SumcheckVerifier;
import dev.verinfer.transcript.Transcript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Solidity sumcheck verifier (SumcheckVerifier.sol, through the test-only SumcheckHarness) against
 * verinfer-sumcheck's: on honest proofs of degree 1 to 4 over 0–10 variables and on tampered ones
 * (round values, claimed sum, non-canonical values, length fields, bit flips, truncation, appended
 * bytes) both must reject the same bytes as malformed or reduce to the identical sub-claim — the same
 * challenge point and the same expected evaluation, which the caller then checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SumcheckDifferentialTest {
    private static final String DOMAIN = "verinfer-sumcheck-differential";
    private static final String MALFORMED = Hash.sha3String("Malformed(uint256)").substring(0, 10);

    private Chain chain;
    private ChainAccount account;
    private String harness;

    record Case(int numVars, int degree, Ext2 claim, byte[] proof) {}

    @BeforeAll
    void start() throws Exception {
        chain = new Chain();
        account = chain.account("sumcheck");
        harness = account.deploy(Artifact.load(SumcheckDifferentialTest.class, "SumcheckHarness").bytecode(), d -> d).contractAddress();
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    static Case honest(int n, int degree, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<MleTable> tables = new ArrayList<>();
        for (int k = 0; k < Math.max(3, degree); k++) {
            long[] t = new long[1 << n];
            for (int i = 0; i < t.length; i++) {
                t[i] = Goldilocks.random(rng);
            }
            tables.add(new BaseTable(t));
        }
        List<ProductTerm> terms = switch (degree) {
            case 1 -> List.of(ProductTerm.of(Ext2.of(3), 1));
            case 2 -> List.of(ProductTerm.of(Ext2.ONE, 0, 1));
            case 3 -> List.of(ProductTerm.of(Ext2.ONE, 0, 1, 2), ProductTerm.of(Ext2.of(5), 0));
            default -> List.of(ProductTerm.of(Ext2.ONE, 0, 1, 2, 3), ProductTerm.of(Ext2.of(5), 1, 2));
        };
        SumcheckProverResult r = SumcheckProver.prove(new Transcript(DOMAIN), tables, terms);
        ProofWriter w = ProofWriter.begin("SMCK", 1);
        r.proof().write(w);
        byte[] all = w.toByteArray();
        return new Case(n, degree, r.claimedSum(), Arrays.copyOfRange(all, 5, all.length));
    }

    static SubClaim java(Case c) {
        byte[] framed = new byte[c.proof().length + 5];
        System.arraycopy("SMCK".getBytes(StandardCharsets.US_ASCII), 0, framed, 0, 4);
        framed[4] = 1;
        System.arraycopy(c.proof(), 0, framed, 5, c.proof().length);
        try {
            ProofReader r = ProofReader.open(framed, "SMCK", 1);
            SumcheckProof p = SumcheckProof.read(r, c.numVars(), c.degree());
            r.finish();
            return SumcheckVerifier.verify(new Transcript(DOMAIN), c.claim(), c.numVars(), c.degree(), p);
        } catch (MalformedProofException | SumcheckRejectedException e) {
            return null;
        }
    }

    private static Uint256 u(long v) {
        return new Uint256(new BigInteger(Long.toUnsignedString(v)));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    SubClaim contract(Case c) {
        String data = FunctionEncoder.encode(new Function("verify", List.of(new DynamicBytes(DOMAIN.getBytes(StandardCharsets.UTF_8)),
                new Uint256(c.numVars()), new Uint256(c.degree()), u(c.claim().c0()), u(c.claim().c1()), new DynamicBytes(c.proof())), List.of()));
        var r = ChainAccount.rpc(() -> chain.web3j.ethCall(Transaction.createEthCallTransaction(account.address(), harness, data),
                DefaultBlockParameterName.LATEST).send(), "eth_call");
        if (r.hasError() || r.isReverted()) {
            String revert = r.hasError() ? r.getError().getData() : r.getRevertReason();
            revert = revert == null || !revert.contains("0x") ? "" : revert.substring(revert.indexOf("0x")).replace("\"", "");
            if (!revert.startsWith(MALFORMED)) {
                throw new AssertionError("the contract did not reject cleanly: " + (r.hasError() ? r.getError().getMessage() : "") + " " + revert);
            }
            return null;
        }
        List<TypeReference<?>> out = List.of(new TypeReference<DynamicArray<Uint256>>() {}, new TypeReference<DynamicArray<Uint256>>() {},
                new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {});
        List<Type> v = FunctionReturnDecoder.decode(r.getValue(), (List) out);
        List<Uint256> p0 = ((DynamicArray<Uint256>) v.get(0)).getValue();
        List<Uint256> p1 = ((DynamicArray<Uint256>) v.get(1)).getValue();
        Ext2[] point = new Ext2[p0.size()];
        for (int i = 0; i < point.length; i++) {
            point[i] = new Ext2(p0.get(i).getValue().longValue(), p1.get(i).getValue().longValue());
        }
        return new SubClaim(point, new Ext2(((Uint256) v.get(2)).getValue().longValue(), ((Uint256) v.get(3)).getValue().longValue()));
    }

    static void assertSame(SubClaim java, SubClaim sol, String what) {
        if (java == null || sol == null) {
            assertEquals(java == null, sol == null, what + ": Java " + (java == null ? "rejects" : "accepts") + ", the contract does not");
            return;
        }
        assertTrue(Arrays.equals(java.point(), sol.point()), what + ": challenge points differ");
        assertEquals(java.expectedEvaluation(), sol.expectedEvaluation(), what + ": expected evaluations differ");
    }

    @Test
    void honestAndTamperedProofsReduceToTheSameSubClaim() {
        SplittableRandom rng = new SplittableRandom(7);
        int tampers = 0;
        for (int n : new int[] {0, 1, 3, 6, 10}) {
            for (int degree : new int[] {1, 2, 3, 4}) {
                Case c = honest(n, degree, 31L * n + degree);
                SubClaim java = java(c);
                assertNotNull(java, "Java rejects an honest proof");
                assertSame(java, contract(c), "honest n=" + n + " d=" + degree);
                for (int k = 0; k < 40; k++) {
                    Case t = tamper(c, rng);
                    assertSame(java(t), contract(t), "tamper " + k + " of n=" + n + " d=" + degree);
                    tampers++;
                }
            }
        }
        System.out.println("sumcheck differential: 20 honest proofs and " + tampers + " tampered, identical sub-claims or rejections");
    }

    static Case tamper(Case c, SplittableRandom rng) {
        byte[] p = c.proof().clone();
        int values = (p.length - 4) / 16; // round headers are small next to the values; a value index may land in a header: still a tamper
        switch (rng.nextInt(7)) {
            case 0 -> {
                if (values == 0) return new Case(c.numVars(), c.degree(), c.claim().add(1), p);
                int at = 8 + 16 * rng.nextInt(values);
                at = Math.min(at, p.length - 8);
                ByteBuffer.wrap(p, at, 8).putLong(Goldilocks.add(Goldilocks.reduce(ByteBuffer.wrap(p, at, 8).getLong()), 1));
            }
            case 1 -> {
                return new Case(c.numVars(), c.degree(), c.claim().add(1), p);
            }
            case 2 -> {
                if (p.length < 8) return new Case(c.numVars(), c.degree(), c.claim().add(Goldilocks.P - 1), p);
                int at = 4 + rng.nextInt(p.length - 11);
                ByteBuffer.wrap(p, at, 8).putLong(-1L - rng.nextInt(100));
            }
            case 3 -> ByteBuffer.wrap(p, 0, 4).putInt(ByteBuffer.wrap(p, 0, 4).getInt() + (rng.nextBoolean() ? 1 : -1));
            case 4 -> p[rng.nextInt(p.length)] ^= (byte) (1 << rng.nextInt(8));
            case 5 -> p = Arrays.copyOf(p, rng.nextInt(p.length));
            default -> p = Arrays.copyOf(p, p.length + 1 + rng.nextInt(16));
        }
        return new Case(c.numVars(), c.degree(), c.claim(), p);
    }
}
