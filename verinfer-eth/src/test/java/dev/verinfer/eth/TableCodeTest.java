package dev.verinfer.eth;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;
import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
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
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LookupChecks.mle (the MLE of a function table from its tree code, {@link TableCode}) against
 * verinfer-poly's {@code Mle.evaluate} of the table's 2^n values: random tables of 0–12 variables of
 * every kind the code distinguishes (dense, step functions with few or many steps, constant, saturating
 * ramps, values within 2^32 of a base, non-decreasing tables rising by 1–16 or up to 2^24 − 1 at sparse steps, a quantised
 * sigmoid), alexa_v0.1's own function tables, each at random points, give the identical extension
 * element; an ill-formed code (truncated, a word appended, a split below the last variable, a dense,
 * SMALL or STEPS block at the wrong level, a SMALL or STEPS block's base not below p or of one entry, an offset missing or
 * appended, a STEPS block of no steps or as many as entries, a step past its block, a padding word not zero) is
 * refused with {@code Rejected(TABLE_CODE)}. Prints the gas of alexa's
 * tables by code against listing all their values ({@link TableCode#listing}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableCodeTest {
    private static final int SCALE = Integer.getInteger("verinfer.eth.differential.scale", 1);

    private Chain chain;
    private ChainAccount account;
    private String harness;

    record Eval(Ext2 value, long gas) {}

    @BeforeAll
    void start() throws Exception {
        chain = new Chain();
        account = chain.account("table-code");
        harness = account.deploy(Artifact.load(TableCodeTest.class, "LogUpHarness").bytecode(), d -> d).contractAddress();
    }

    @AfterAll
    void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    private static Uint256 u(long v) {
        return new Uint256(new BigInteger(Long.toUnsignedString(v)));
    }

    /** The contract's MLE of {@code code} at {@code point}, or null when it refuses the code cleanly. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    Eval contract(byte[] code, Ext2[] point) {
        List<Uint256> pt = new ArrayList<>();
        for (Ext2 r : point) {
            pt.add(u(r.c0()));
            pt.add(u(r.c1()));
        }
        String data = FunctionEncoder.encode(new Function("tableMle", List.of(new DynamicArray<>(Uint256.class, pt), new DynamicBytes(code)), List.of()));
        var r = ChainAccount.rpc(() -> chain.web3j.ethCall(Transaction.createEthCallTransaction(account.address(), harness, data),
                DefaultBlockParameterName.LATEST).send(), "eth_call");
        if (r.hasError() || r.isReverted()) {
            String revert = r.hasError() ? r.getError().getData() : r.getRevertReason();
            revert = revert == null || !revert.contains("0x") ? "" : revert.substring(revert.indexOf("0x")).replace("\"", "");
            String tableCode = LogUpGkrDifferentialTest.REJECTED + String.format("%064x", 136);
            if (!revert.equals(tableCode)) {
                throw new AssertionError("the contract did not refuse cleanly: " + (r.hasError() ? r.getError().getMessage() : "") + " " + revert);
            }
            return null;
        }
        List<TypeReference<?>> out = List.of(new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {});
        List<Type> v = FunctionReturnDecoder.decode(r.getValue(), (List) out);
        return new Eval(new Ext2(((Uint256) v.get(0)).getValue().longValue(), ((Uint256) v.get(1)).getValue().longValue()),
                ((Uint256) v.get(2)).getValue().longValueExact());
    }

    private static Ext2[] point(SplittableRandom rng, int n) {
        Ext2[] r = new Ext2[n];
        for (int i = 0; i < n; i++) {
            r[i] = Ext2.random(rng);
        }
        return r;
    }

    /** A table of one of the shapes a code distinguishes. */
    private static long[] table(SplittableRandom rng, int n, int kind) {
        long[] v = new long[1 << n];
        switch (kind) {
            case 0 -> Arrays.setAll(v, i -> Goldilocks.random(rng));
            case 1 -> { // a step function with a few steps (a saturating activation)
                int steps = 1 + rng.nextInt(4);
                long level = Goldilocks.random(rng);
                int[] at = rng.ints(steps, 0, v.length).sorted().toArray();
                for (int i = 0, s = 0; i < v.length; i++) {
                    while (s < steps && at[s] == i) {
                        level = rng.nextInt(3) == 0 ? Goldilocks.random(rng) : level + 1;
                        s++;
                    }
                    v[i] = Goldilocks.fromSigned(level % 1000);
                }
            }
            case 2 -> Arrays.fill(v, Goldilocks.random(rng));
            case 3 -> { // a ramp clamped to [lo, hi] around a random centre: constant, then one value per entry, then constant
                int centre = rng.nextInt(v.length);
                int half = 1 + rng.nextInt(Math.max(1, v.length / 4));
                Arrays.setAll(v, i -> Goldilocks.fromSigned(Math.max(-half, Math.min(half, i - centre))));
            }
            case 4 -> { // values of a small alphabet: many short runs
                Arrays.setAll(v, i -> rng.nextInt(3));
            }
            case 6 -> { // non-decreasing from a random signed start, rising at ≈ 1 in 8 entries by 1–16, now and then by up to 2^24 − 1
                long level = rng.nextLong(-(1L << 40), 1L << 40);
                for (int i = 0; i < v.length; i++) {
                    if (i > 0 && rng.nextInt(8) == 0) {
                        level += rng.nextInt(20) == 0 ? (1L << 24) - 1 - rng.nextInt(2) : 1 + rng.nextInt(16);
                    }
                    v[i] = Goldilocks.fromSigned(level);
                }
            }
            case 7 -> { // a quantised sigmoid, 2^15·σ(x/s) around a random centre (steep in the middle, sparse steps in the tails)
                double scale = 1 + rng.nextInt(Math.max(1, v.length / 8));
                int centre = rng.nextInt(v.length);
                Arrays.setAll(v, i -> Math.round(32768 / (1 + Math.exp(-(i - centre) / scale))));
            }
            default -> { // within 2^32 of a random base (either sign), the first at the base, the last 2^32 − 1 above it
                long base = rng.nextLong(-(1L << 62), 1L << 62);
                Arrays.setAll(v, i -> Goldilocks.fromSigned(base + rng.nextLong(1L << 32)));
                v[0] = Goldilocks.fromSigned(base);
                v[v.length - 1] = Goldilocks.fromSigned(base + (1L << 32) - 1);
            }
        }
        return v;
    }

    /** A table of kind 5 over n ≤ DENSE_VARS variables: one SMALL block, its base and 2^n four-byte offsets. */
    private static byte[] smallBlock(SplittableRandom rng, int n) {
        byte[] code = TableCode.encode(table(rng, n, 5));
        assertEquals(16 + (4 << n), code.length, "one SMALL block");
        assertEquals(TableCode.SMALL, ByteBuffer.wrap(code).getLong(0));
        return code;
    }

    /** A table of n ≤ DENSE_VARS variables rising by 1 at two places: for n ≥ 3 one STEPS block, b, the count, two steps and the padding. */
    private static byte[] stepsBlock(int n) {
        long[] v = new long[1 << n];
        Arrays.setAll(v, i -> Goldilocks.fromSigned(-5 + (i >= v.length / 2 ? 1 : 0) + (i == v.length - 1 ? 1 : 0)));
        byte[] code = TableCode.encode(v);
        if (n > 2) {
            assertEquals(TableCode.STEPS, ByteBuffer.wrap(code).getLong(0));
            assertEquals(32, code.length, "one STEPS block");
        }
        return code;
    }

    @Test
    void theCodesMleIsTheTablesMle() {
        SplittableRandom rng = new SplittableRandom(1515);
        int cases = 0;
        for (int round = 0; round < 4 * SCALE; round++) {
            for (int n = 0; n <= 12; n++) {
                for (int kind = 0; kind < 8; kind++) {
                    long[] v = table(rng, n, kind);
                    Ext2[] r = point(rng, n);
                    Eval e = contract(TableCode.encode(v), r);
                    assertTrue(e != null, "the contract refused an honest code (n=" + n + ", kind " + kind + ")");
                    assertEquals(Mle.evaluate(v, r), e.value(), "n=" + n + ", kind " + kind);
                    cases++;
                }
            }
        }
        for (int n = 1; n <= TableCode.DENSE_VARS; n++) {
            smallBlock(rng, n); // the encoder writes offsets where the values allow them
            Ext2[] r = point(rng, n);
            long[] v = new long[1 << n];
            Arrays.setAll(v, i -> Goldilocks.fromSigned(-5 + (i >= v.length / 2 ? 1 : 0) + (i == v.length - 1 ? 1 : 0)));
            assertEquals(Mle.evaluate(v, r), contract(stepsBlock(n), r).value(), "a STEPS block of 2^" + n);
        }
        System.out.printf("table codes: %d tables of 0-12 variables, identical MLEs%n", cases);
    }

    @Test
    void alexasFunctionTablesAtRandomPoints() {
        EthProofFixture alexa = EthProofFixture.alexa(PcsSecurity.CONJECTURED);
        SplittableRandom rng = new SplittableRandom(16);
        StringBuilder gas = new StringBuilder();
        for (long[] v : alexa.functionTableValues()) {
            int n = Integer.numberOfTrailingZeros(v.length);
            byte[] code = TableCode.encode(v);
            byte[] dense = TableCode.listing(v);
            long codeGas = 0;
            long denseGas = 0;
            for (int k = 0; k < 5; k++) {
                Ext2[] r = point(rng, n);
                Eval byCode = contract(code, r);
                Eval byValues = contract(dense, r);
                assertEquals(Mle.evaluate(v, r), byCode.value());
                assertEquals(Mle.evaluate(v, r), byValues.value());
                codeGas = byCode.gas();
                denseGas = byValues.gas();
            }
            gas.append(String.format("table of 2^%d entries: code %,d words, %,d gas; all values listed %,d gas%n", n, code.length / 8, codeGas, denseGas));
        }
        System.out.print(gas);
    }

    @Test
    void anIllFormedCodeIsRefused() {
        SplittableRandom rng = new SplittableRandom(99);
        for (int n = 1; n <= 10; n++) {
            long[] v = table(rng, n, 3);
            byte[] code = TableCode.encode(v);
            Ext2[] r = point(rng, n);
            assertEquals(null, contract(Arrays.copyOf(code, code.length - 8), r), "truncated");
            assertEquals(null, contract(Arrays.copyOf(code, code.length + 8), r), "a word appended");
            assertEquals(null, contract(splits(n + 1), r), "a split below the last variable");
            if (n > TableCode.DENSE_VARS) {
                byte[] wrongLevel = ByteBuffer.allocate(8 + (8 << n)).putLong(TableCode.DENSE).array();
                assertEquals(null, contract(wrongLevel, r), "a dense block above its level");
                byte[] smallAbove = ByteBuffer.allocate(16 + (4 << n)).putLong(TableCode.SMALL).array();
                assertEquals(null, contract(smallAbove, r), "a SMALL block above its level");
                byte[] stepsAbove = ByteBuffer.allocate(32).putLong(TableCode.STEPS).putLong(0).putLong(1).putInt(1 << 24 | 1).array();
                assertEquals(null, contract(stepsAbove, r), "a STEPS block above its level");
            } else {
                byte[] small = smallBlock(rng, n);
                assertTrue(contract(small, r) != null);
                assertEquals(null, contract(Arrays.copyOf(small, small.length - 4), r), "a SMALL block's offset missing");
                assertEquals(null, contract(Arrays.copyOf(small, small.length + 4), r), "an offset appended");
                byte[] wide = small.clone();
                ByteBuffer.wrap(wide).putLong(8, Goldilocks.P);
                assertEquals(null, contract(wide, r), "a SMALL block's base not below p");
                if (n > 2) {
                    byte[] steps = stepsBlock(n); // two steps at 2^(n−1) and 2^n − 1
                    assertTrue(contract(steps, r) != null);
                    assertEquals(null, contract(Arrays.copyOf(steps, 24), r), "the steps missing");
                    assertEquals(null, contract(Arrays.copyOf(steps, 40), r), "a word appended");
                    byte[] bad = steps.clone();
                    ByteBuffer.wrap(bad).putLong(8, Goldilocks.P);
                    assertEquals(null, contract(bad, r), "a STEPS block's base not below p");
                    bad = ByteBuffer.allocate(24).putLong(TableCode.STEPS).putLong(3).putLong(0).array();
                    assertEquals(null, contract(bad, r), "a STEPS block of no steps");
                    bad = ByteBuffer.allocate(24 + (4 << n)).putLong(TableCode.STEPS).putLong(3).putLong(1L << n).array();
                    for (int i = 0; i < 1 << n; i++) {
                        ByteBuffer.wrap(bad).putInt(24 + 4 * i, i == 0 ? 1 : 1 << 24 | 1);
                    }
                    assertEquals(null, contract(bad, r), "a STEPS block of as many steps as entries");
                    bad = steps.clone();
                    ByteBuffer.wrap(bad).putInt(28, (1 << (n - 1)) << 24 | 1); // the second step at 2^n
                    assertEquals(null, contract(bad, r), "a step past its block");
                    bad = ByteBuffer.allocate(32).putLong(TableCode.STEPS).putLong(3).putLong(1).putInt(1 << 24 | 1).putInt(1).array();
                    assertEquals(null, contract(bad, r), "a padding word not zero");
                    ByteBuffer.wrap(bad).putInt(28, 0);
                    assertTrue(contract(bad, r) != null, "the same block padded with zero");
                }
            }
        }
        byte[] one = ByteBuffer.allocate(20).putLong(TableCode.SMALL).putLong(5).array();
        assertEquals(null, contract(one, new Ext2[0]), "a SMALL block of one entry (a constant's code is its word)");
        byte[] oneStep = ByteBuffer.allocate(32).putLong(TableCode.STEPS).putLong(5).putLong(1).putInt(1 << 24 | 1).array();
        assertEquals(null, contract(oneStep, new Ext2[0]), "a STEPS block of one entry");
    }

    /** A code of n nested splits over constant leaves: one split more than n variables allow when called with n + 1. */
    private static byte[] splits(int depth) {
        ByteBuffer b = ByteBuffer.allocate(8 * (2 * depth + 1));
        for (int i = 0; i < depth; i++) {
            b.putLong(TableCode.SPLIT);
        }
        for (int i = 0; i <= depth; i++) {
            b.putLong(7);
        }
        return b.array();
    }
}
