package dev.verinfer.eth;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LogUpGkr.sol (with ZkmlStatement.sol, the proof's head) against the Java verifier on a real
 * alexa_v0.1 proof: the honest look-up argument is accepted by both with identical claims (every
 * block's point and evaluations) and end offset; every tampered proof — each field element of every
 * GKR layer (sumcheck round values and the four values per tree), every root, group and table
 * evaluation, each length field, non-canonical elements, swapped blocks, truncations, the statement's
 * bytes and random bit flips — gets the same verdict, identical claims when both accept, and a clean
 * {@code Rejected}/{@code Malformed} revert from the contract (a panic or out-of-gas fails the test).
 * {@code -Dverinfer.eth.differential.scale=N} runs N times as many random tampers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogUpGkrDifferentialTest {
    static final String REJECTED = Hash.sha3String("Rejected(uint256)").substring(0, 10);
    static final String MALFORMED = Hash.sha3String("Malformed(uint256)").substring(0, 10);
    private static final int SCALE = Integer.getInteger("verinfer.eth.differential.scale", 1);

    private Chain chain;
    private ChainAccount account;
    private String harness;
    private EthProofFixture alexa;
    private List<Uint256> cfg;
    private List<Uint256> phaseCfg;

    /** A contract verdict: accepted with the claims' digest and end offset, or rejected. */
    record Verdict(boolean accepted, String digest, int end) {}

    @BeforeAll
    void start() throws Exception {
        alexa = EthProofFixture.alexa(PcsSecurity.PROVEN);
        cfg = config(alexa);
        phaseCfg = new ArrayList<>(cfg);
        Arrays.stream(alexa.lookupPlan()).mapToObj(v -> new Uint256(new BigInteger(Long.toUnsignedString(v)))).forEach(phaseCfg::add);
        chain = new Chain();
        account = chain.account("logup-verifier");
        harness = account.deploy(Artifact.load(LogUpGkrDifferentialTest.class, "LogUpHarness").bytecode(), d -> d).contractAddress();
    }

    @AfterAll
    void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    /** The key's part the harness takes (LogUpHarness.decode's layout). */
    static List<Uint256> config(EthProofFixture f) {
        return Arrays.stream(f.statementShape()).mapToObj(v -> new Uint256(BigInteger.valueOf(v))).toList();
    }

    private String calldata(String function, byte[] proof) {
        return FunctionEncoder.encode(new Function(function, List.of(new Bytes32(alexa.modelId()), new DynamicArray<>(Uint256.class, cfg), new DynamicBytes(proof)), List.of()));
    }

    private String phaseCalldata(String function, byte[] proof) {
        return FunctionEncoder.encode(new Function(function, List.of(new Bytes32(alexa.modelId()), new DynamicArray<>(Uint256.class, phaseCfg),
                new DynamicBytes(alexa.functionTables()), new DynamicBytes(proof)), List.of()));
    }

    /** The contract's verdict on the whole look-up phase: accepted with its end offset, or rejected cleanly. */
    Verdict phase(byte[] proof) {
        var r = ChainAccount.rpc(() -> chain.web3j.ethCall(Transaction.createEthCallTransaction(account.address(), harness, phaseCalldata("phase", proof)),
                DefaultBlockParameterName.LATEST).send(), "eth_call");
        if (!r.hasError() && !r.isReverted()) {
            return new Verdict(true, "", Numeric.toBigInt(r.getValue()).intValueExact());
        }
        String data = r.hasError() ? r.getError().getData() : r.getRevertReason();
        data = data == null || !data.contains("0x") ? "" : data.substring(data.indexOf("0x")).replace("\"", "");
        if (!data.startsWith(REJECTED) && !data.startsWith(MALFORMED)) {
            throw new AssertionError("the contract did not reject cleanly: " + (r.hasError() ? r.getError().getMessage() + " " + data : data));
        }
        return new Verdict(false, null, -1);
    }

    boolean samePhase(byte[] proof, String what) {
        EthProofFixture.LookupVerdict java = alexa.lookupPhase(proof);
        Verdict sol = phase(proof);
        assertEquals(java.accepted(), sol.accepted(), what + ": Java " + (java.accepted() ? "accepts" : "rejects (" + java.reason() + ")") + ", the contract does not");
        if (java.accepted()) {
            assertEquals(java.end(), sol.end(), what + ": end offsets differ");
        }
        return java.accepted();
    }

    Verdict contract(byte[] proof) {
        var r = ChainAccount.rpc(() -> chain.web3j.ethCall(Transaction.createEthCallTransaction(account.address(), harness, calldata("verify", proof)),
                DefaultBlockParameterName.LATEST).send(), "eth_call");
        if (!r.hasError() && !r.isReverted()) {
            String v = Numeric.cleanHexPrefix(r.getValue());
            return new Verdict(true, v.substring(0, 64), Numeric.toBigInt(v.substring(64, 128)).intValueExact());
        }
        String data = r.hasError() ? r.getError().getData() : r.getRevertReason();
        data = data == null || !data.contains("0x") ? "" : data.substring(data.indexOf("0x")).replace("\"", "");
        if (!data.startsWith(REJECTED) && !data.startsWith(MALFORMED)) {
            throw new AssertionError("the contract did not reject cleanly: " + (r.hasError() ? r.getError().getMessage() + " " + data : data));
        }
        return new Verdict(false, null, -1);
    }

    long gas(String function, byte[] proof) {
        var r = ChainAccount.rpc(() -> chain.web3j.ethEstimateGas(Transaction.createEthCallTransaction(account.address(), harness, calldata(function, proof))).send(),
                "eth_estimateGas");
        if (r.hasError()) {
            throw new AssertionError("eth_estimateGas: " + r.getError().getMessage());
        }
        return r.getAmountUsed().longValueExact();
    }

    /** Both verifiers' verdicts on {@code proof} must agree, with the same claims and end when both accept; returns the verdict. */
    boolean same(byte[] proof, String what) {
        EthProofFixture.LookupVerdict java = alexa.lookups(proof);
        Verdict sol = contract(proof);
        assertEquals(java.accepted(), sol.accepted(), what + ": Java " + (java.accepted() ? "accepts" : "rejects (" + java.reason() + ")") + ", the contract does not");
        if (java.accepted()) {
            assertEquals(Numeric.toHexStringNoPrefix(Hash.sha3(java.claimWords())), sol.digest(), what + ": claims differ");
            assertEquals(java.end(), sol.end(), what + ": end offsets differ");
        }
        return java.accepted();
    }

    @Test
    void honestLookupArgumentOfARealProofIsAcceptedWithIdenticalClaims() {
        EthProofFixture.LookupVerdict java = alexa.lookups(alexa.proof);
        assertTrue(java.accepted(), java.reason());
        assertTrue(alexa.verifies(alexa.proof));
        Verdict sol = contract(alexa.proof);
        assertTrue(sol.accepted());
        assertEquals(Numeric.toHexStringNoPrefix(Hash.sha3(java.claimWords())), sol.digest());
        assertEquals(java.end(), sol.end());
        long head = gas("head", alexa.proof);
        long all = gas("verify", alexa.proof);
        System.out.printf("alexa_v0.1 LogUp-GKR: argument bytes %d..%d (%,d bytes); gas (eth_estimateGas, the whole proof as calldata): head %,d, head + LogUp %,d, LogUp alone %,d%n",
                java.start(), java.end(), java.end() - java.start(), head, all, all - head);
    }

    @Test
    void everyTamperGetsTheJavaVerdict() {
        EthProofFixture.LookupVerdict honest = alexa.lookups(alexa.proof);
        Layout lay = new Layout(alexa.proof, honest.start());
        assertEquals(honest.end(), lay.end, "layout walk");
        SplittableRandom rng = new SplittableRandom(2026);
        int total = 0;
        int accepted = 0;
        // every extension element of the argument (roots, every layer's round values and tree values, leaves), one coordinate each
        for (int i = 0; i < lay.exts.size(); i++) {
            int at = lay.exts.get(i) + (i % 2 == 0 ? 0 : 8);
            byte[] t = alexa.proof.clone();
            putLong(t, at, i % 3 == 0 ? (getLong(t, at) + 1) % Goldilocks.P : Goldilocks.random(rng));
            accepted += same(t, lay.kind(lay.exts.get(i)) + " element at " + at) ? 1 : 0;
            total++;
        }
        String[] kinds = {"length", "non-canonical", "swap", "truncate", "statement", "bit flip"};
        int[] byKind = new int[kinds.length];
        int random = 500 * SCALE;
        for (int i = 0; i < random; i++) {
            int k = rng.nextInt(kinds.length);
            byte[] t = alexa.proof.clone();
            switch (k) {
                case 0 -> {
                    int at = lay.lengths.get(rng.nextInt(lay.lengths.size()));
                    int v = ByteBuffer.wrap(t, at, 4).getInt();
                    int[] choices = {v + 1, v - 1, 0, v * 2 + 1, Integer.MAX_VALUE, -1};
                    ByteBuffer.wrap(t, at, 4).putInt(choices[rng.nextInt(choices.length)]);
                }
                case 1 -> {
                    int at = lay.exts.get(rng.nextInt(lay.exts.size())) + 8 * rng.nextInt(2);
                    putLong(t, at, rng.nextBoolean() ? Goldilocks.P + rng.nextLong(1L << 32) : -1L);
                }
                case 2 -> {
                    int a = lay.exts.get(rng.nextInt(lay.exts.size()));
                    int b = lay.exts.get(rng.nextInt(lay.exts.size()));
                    byte[] x = Arrays.copyOfRange(t, a, a + 16);
                    System.arraycopy(t, b, t, a, 16);
                    System.arraycopy(x, 0, t, b, 16);
                }
                case 3 -> t = Arrays.copyOf(t, rng.nextInt(lay.end));
                case 4 -> {
                    int at = rng.nextInt(honest.start());
                    t[at] ^= (byte) (1 << rng.nextInt(8));
                }
                default -> {
                    int at = rng.nextInt(lay.end);
                    t[at] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            accepted += same(t, kinds[k] + " tamper #" + i) ? 1 : 0;
            byKind[k]++;
            total++;
        }
        System.out.printf("LogUp-GKR differential: %d tampered proofs (%d elements one by one, then %s = %s), identical verdicts, %d accepted by both (equal bytes)%n",
                total, lay.exts.size(), Arrays.toString(kinds), Arrays.toString(byKind), accepted);
        assertTrue(total >= 500, "only " + total + " tampers ran");
    }

    /** ZkmlStatement.values (no bound) against ProofReader.readPackedSigned on byte strings: the same values and length, or both reject. */
    @Test
    void packedDecoderAgreesWithJavaOnEveryWidthAndMalformedPacking() {
        SplittableRandom rng = new SplittableRandom(11);
        List<long[]> lists = new ArrayList<>();
        lists.add(new long[] {0});
        lists.add(new long[] {-1, 0, 0});
        lists.add(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 1});
        lists.add(new long[] {-32768, 32767, 5, -5, 0});
        for (int bits = 1; bits <= 64; bits++) {
            long[] v = new long[1 + rng.nextInt(9)];
            for (int j = 0; j < v.length; j++) {
                long x = bits == 64 ? rng.nextLong() : rng.nextLong(1L << (bits - 1));
                v[j] = rng.nextBoolean() ? x : -x - 1;
            }
            lists.add(v);
        }
        // values read a word at a time (four or eight fields a word): the only value needing the width at each of a word's
        // positions (its one-narrower tamper then fails at that position alone), and long lists of either sign
        for (int bits : new int[] {2, 15, 31, 32, 62}) {
            for (int j = 0; j < 8; j++) {
                long[] v = new long[9 + j];
                for (int l = 0; l < v.length; l++) v[l] = bits == 2 ? -rng.nextInt(2) : rng.nextLong(1L << (bits - 2)) - (1L << (bits - 3));
                v[j] = rng.nextBoolean() ? 1L << (bits - 2) : -(1L << (bits - 2)) - 1;
                lists.add(v);
            }
            long[] v = new long[40 + rng.nextInt(8)];
            for (int l = 0; l < v.length; l++) v[l] = rng.nextLong(1L << (bits - 1)) * (rng.nextBoolean() ? 1 : -1);
            lists.add(v);
        }
        List<byte[]> cases = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (long[] v : lists) {
            byte[] ok = packedBytes(v);
            cases.add(ok);
            counts.add(v.length);
            cases.add(Arrays.copyOf(ok, ok.length - 1)); // truncated
            counts.add(v.length);
            byte[] pad = ok.clone();
            pad[pad.length - 1] ^= 1; // the last bit: padding, or the last value's lowest bit
            cases.add(pad);
            counts.add(v.length);
            for (int w : new int[] {0, 65, ok[0] + 1, ok[0] - 1}) {
                byte[] c = ok.clone();
                c[0] = (byte) w; // another width over the same bytes (a wider one with a byte to spare)
                cases.add(w == ok[0] + 1 ? Arrays.copyOf(c, c.length + 1) : c);
                counts.add(v.length);
            }
        }
        cases.add(new byte[] {3, 0b0010_0000}); // 1 at width 3: 2 is the fewest
        counts.add(1);
        cases.add(new byte[] {2, 0b0100_0000});
        counts.add(1);
        int accepted = 0;
        for (int i = 0; i < cases.size(); i++) {
            byte[] c = cases.get(i);
            int len = counts.get(i);
            long[] java = javaPacked(c, len);
            var r = ChainAccount.rpc(() -> chain.web3j.ethCall(Transaction.createEthCallTransaction(account.address(), harness,
                    FunctionEncoder.encode(new Function("packed", List.of(new DynamicBytes(c), new Uint256(len)), List.of()))),
                    DefaultBlockParameterName.LATEST).send(), "eth_call");
            String what = Numeric.toHexString(c) + " (" + len + " values)";
            if (java == null) {
                assertTrue(r.hasError() || r.isReverted(), what + ": Java rejects, the contract accepts");
                String data = r.hasError() ? r.getError().getData() : r.getRevertReason();
                assertTrue(data != null && data.contains(REJECTED.substring(2)), what + ": not a clean Rejected revert: " + data);
                continue;
            }
            assertTrue(!r.hasError() && !r.isReverted(), what + ": Java accepts, the contract rejects");
            String v = Numeric.cleanHexPrefix(r.getValue());
            assertEquals(java[len], Numeric.toBigInt(v.substring(64, 128)).longValueExact(), what + ": lengths differ");
            for (int j = 0; j < len; j++) {
                int at = 64 * (3 + j);
                assertEquals(BigInteger.valueOf(java[j]).mod(new BigInteger(Long.toUnsignedString(Goldilocks.P))),
                        Numeric.toBigInt(v.substring(at, at + 64)), what + ": value " + j + " differs");
            }
            accepted++;
        }
        System.out.printf("packing differential: %d byte strings, %d accepted by both with equal values and lengths, the rest rejected by both%n", cases.size(), accepted);
        assertTrue(accepted >= lists.size() && accepted < cases.size());
    }

    private static byte[] packedBytes(long[] v) {
        byte[] b = ProofWriter.begin("TEST", 1).writePackedSigned(v).toByteArray();
        return Arrays.copyOfRange(b, 5, b.length);
    }

    /** Java's values then the bytes read, or null when it rejects. */
    private static long[] javaPacked(byte[] c, int len) {
        try {
            ProofReader r = ProofReader.open(ProofWriter.begin("TEST", 1).writeRaw(c).toByteArray(), "TEST", 1);
            long[] v = Arrays.copyOf(r.readPackedSigned(len, "values"), len + 1);
            v[len] = c.length - r.remaining();
            return v;
        } catch (MalformedProofException e) {
            return null;
        }
    }

    /** The statement's packed tensors re-encoded in place (wider, narrower, width 0, a padding bit, truncation, another value): the same verdicts. */
    @Test
    void statementPackingTampersGetTheJavaVerdict() {
        List<int[]> tensors = publicTensors(alexa.proof);
        assertEquals(alexa.key.graph().inputs().size() + alexa.key.graph().outputs().size(), tensors.size());
        SplittableRandom rng = new SplittableRandom(5);
        int total = 0;
        for (int i = 0; i < 24; i++) {
            int[] t = tensors.get(i % tensors.size());
            int width = alexa.proof[t[0]];
            byte[] enc = Arrays.copyOfRange(alexa.proof, t[0], t[1]);
            byte[] tampered = switch (i % 6) {
                case 0 -> { // one bit wider, same bytes and one more
                    byte[] e = Arrays.copyOf(enc, enc.length + (t[2] + 7) / 8);
                    e[0] = (byte) (width + 1);
                    yield e;
                }
                case 1 -> { // one bit narrower
                    byte[] e = enc.clone();
                    e[0] = (byte) (width - 1);
                    yield e;
                }
                case 2 -> { // width 0
                    byte[] e = enc.clone();
                    e[0] = 0;
                    yield e;
                }
                case 3 -> { // the last bit flipped (padding or a value's lowest bit)
                    byte[] e = enc.clone();
                    e[e.length - 1] ^= 1;
                    yield e;
                }
                case 4 -> Arrays.copyOf(enc, enc.length - 1 - rng.nextInt(Math.min(3, enc.length - 1))); // truncated
                default -> { // one value changed (a random bit of the packing)
                    byte[] e = enc.clone();
                    e[1 + rng.nextInt(e.length - 1)] ^= (byte) (1 << rng.nextInt(8));
                    yield e;
                }
            };
            same(splice(alexa.proof, t[0], t[1], tampered), "statement packing tamper " + i % 6 + " of the tensor at " + t[0]);
            total++;
        }
        byte[] older = alexa.proof.clone();
        older[4] = 5; // format 5 (varints) is refused by both
        assertTrue(!same(older, "version 5"));
        total++;
        System.out.printf("statement packing tampers: %d, identical verdicts%n", total);
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] t = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, t, 0, from);
        System.arraycopy(with, 0, t, from, with.length);
        System.arraycopy(b, to, t, from + with.length, b.length - to);
        return t;
    }

    /** Each public tensor's packing {from (its width byte), to, value count} in the statement (PublicStatement.write's layout, format 6). */
    static List<int[]> publicTensors(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p);
        int pos = 5;
        pos += 4 + b.getInt(pos); // model id
        pos += 4; // batch
        pos += 4 + b.getInt(pos); // context
        List<int[]> out = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            int tensors = b.getInt(pos);
            pos += 4;
            for (int i = 0; i < tensors; i++) {
                int len = b.getInt(pos + 1);
                pos += 5;
                int to = pos + 1 + (int) (((long) len * p[pos] + 7) / 8);
                out.add(new int[] {pos, to, len});
                pos = to;
            }
        }
        return out;
    }

    @Test
    void lookupPhaseChecksAndColumnTermsGetTheJavaVerdicts() {
        EthProofFixture.LookupVerdict java = alexa.lookupPhase(alexa.proof);
        assertTrue(java.accepted(), java.reason());
        Verdict sol = phase(alexa.proof);
        assertTrue(sol.accepted());
        assertEquals(java.end(), sol.end());
        EthProofFixture.LookupVerdict logup = alexa.lookups(alexa.proof);
        SplittableRandom rng = new SplittableRandom(7);
        int total = 0;
        // every column-term value (the prover's values of an affine column's other terms), both coordinates
        for (int at = logup.end(); at < java.end(); ) {
            int n = ByteBuffer.wrap(alexa.proof, at, 4).getInt();
            at += 4;
            for (int k = 0; k < 2 * n; k++) {
                byte[] t = alexa.proof.clone();
                putLong(t, at + 8 * k, Goldilocks.random(rng));
                samePhase(t, "column term " + k + " at " + at);
                total++;
            }
            at += 16 * n;
        }
        for (int i = 0; i < 60; i++) {
            byte[] t = alexa.proof.clone();
            if (i % 3 == 0) {
                t = Arrays.copyOf(t, logup.end() + rng.nextInt(java.end() - logup.end()));
            } else {
                int at = logup.end() + rng.nextInt(java.end() - logup.end());
                t[at] ^= (byte) (1 << rng.nextInt(8));
            }
            samePhase(t, "column-term bytes tamper #" + i);
            total++;
        }
        var r = ChainAccount.rpc(() -> chain.web3j.ethCall(Transaction.createEthCallTransaction(account.address(), harness,
                phaseCalldata("profile", Arrays.copyOf(alexa.proof, java.end()))), DefaultBlockParameterName.LATEST).send(), "eth_call");
        String v = Numeric.cleanHexPrefix(r.getValue());
        writeGasTable(Numeric.toBigInt(v.substring(0, 64)).longValueExact(), Numeric.toBigInt(v.substring(64, 128)).longValueExact(),
                Numeric.toBigInt(v.substring(128, 192)).longValueExact(), logup.start(), logup.end(), java.end());
        System.out.printf("alexa_v0.1 look-up phase: %d column-term tampers, identical verdicts; execution gas (gasleft, calldata excluded): head %,d, LogUp-GKR %,d, "
                        + "look-up checks and column terms %,d (of which the sigmoid window's 2^14-entry MLE); proof bytes to the end of the phase: %,d%n",
                total, Numeric.toBigInt(v.substring(0, 64)), Numeric.toBigInt(v.substring(64, 128)), Numeric.toBigInt(v.substring(128, 192)), java.end());
    }

    /** The measured components, as a Markdown table in target/eth-gas/alexa_v0.1-verifier.md (quoted in docs/ethereum.md). */
    private static void writeGasTable(long head, long logup, long checks, int logupStart, int logupEnd, int phaseEnd) {
        String table = "| component (alexa_v0.1, PcsSecurity proven) | proof bytes | execution gas |\n|---|---|---|\n"
                + String.format("| head: statement checked and absorbed (1,536 inputs), witness root, output point | %,d | %,d |%n", logupStart, head)
                + String.format("| LogUp-GKR: %s | %,d | %,d |%n", "roots, every GKR layer, leaf claims", logupEnd - logupStart, logup)
                + String.format("| look-up checks: selectors, range and function tables (the sigmoid's 2^14-entry window MLE), column terms | %,d | %,d |%n", phaseEnd - logupEnd, checks);
        try {
            java.nio.file.Path out = java.nio.file.Path.of("target", "eth-gas", "alexa_v0.1-verifier.md");
            java.nio.file.Files.createDirectories(out.getParent());
            java.nio.file.Files.writeString(out, table);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.print(table);
    }

    @Test
    void claimsOfAcceptedProofsAreBitIdentical() {
        byte[] t = alexa.proof.clone();
        assertArrayEquals(alexa.lookups(t).claimWords(), alexa.lookups(alexa.proof).claimWords());
        assertTrue(same(t, "untampered copy"));
    }

    static long getLong(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 8).getLong();
    }

    static void putLong(byte[] b, int at, long v) {
        ByteBuffer.wrap(b, at, 8).putLong(v);
    }

    /** Where the LogUp argument's fields sit (LogUpProof.write's layout), walked from its start. */
    static final class Layout {
        final List<Integer> exts = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();
        final List<int[]> regions = new ArrayList<>(); // {from, to, kind}
        final int end;
        private final byte[] b;
        private int pos;

        Layout(byte[] proof, int start) {
            b = proof;
            pos = start;
            int trees = length();
            exts(2 * trees, 0);
            int depth = length();
            for (int i = 0; i < depth; i++) {
                int rounds = length();
                for (int r = 0; r < rounds; r++) {
                    exts(length(), 1);
                }
                exts(length(), 2);
            }
            for (int part = 0; part < 2; part++) {
                int n = length();
                for (int g = 0; g < n; g++) {
                    exts(length(), 3 + part);
                }
            }
            end = pos;
        }

        private int length() {
            lengths.add(pos);
            int v = ByteBuffer.wrap(b, pos, 4).getInt();
            pos += 4;
            return v;
        }

        private void exts(int n, int kind) {
            regions.add(new int[] {pos, pos + 16 * n, kind});
            for (int k = 0; k < n; k++) {
                exts.add(pos);
                pos += 16;
            }
        }

        String kind(int at) {
            for (int[] r : regions) {
                if (at >= r[0] && at < r[1]) {
                    return new String[] {"root", "layer round value", "layer tree value", "group evaluation", "table evaluation"}[r[2]];
                }
            }
            return "?";
        }
    }
}
