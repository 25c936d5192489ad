package dev.verinfer.transcript;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Transcript} against a literal reading of its specification (the class comment), step by step. */
class TranscriptSpecTest {
    /** One step of a protocol run: an absorb or a challenge, applied to both implementations. */
    record Step(int kind, String label, byte[] data, long[] values, int count, int bound) {}

    /** The spec, written as plainly as possible: a 32-byte state and the pending records. */
    static final class Reference {
        private byte[] state = new byte[32];
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private long counter;

        Reference(String domain) {
            record(0, "verinfer-transcript-v2", 0);
            byte[] d = domain.getBytes(StandardCharsets.UTF_8);
            u64(d.length);
            pending.writeBytes(d);
        }

        void record(int tag, String label, long length) {
            byte[] l = label.getBytes(StandardCharsets.UTF_8);
            pending.write(tag);
            u64(l.length);
            pending.writeBytes(l);
            u64(length);
        }

        void u64(long v) {
            pending.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
        }

        byte[] squeeze(String label) throws Exception {
            record(4, label, counter++);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(state);
            sha.update(pending.toByteArray());
            state = sha.digest();
            pending.reset();
            return state.clone();
        }

        long field(String label) throws Exception {
            while (true) {
                ByteBuffer b = ByteBuffer.wrap(squeeze(label));
                for (int i = 0; i < 4; i++) {
                    long x = b.getLong();
                    if (Long.compareUnsigned(x, Goldilocks.P) < 0) return x;
                }
            }
        }

        int[] indices(String label, int count, int bound) throws Exception {
            int[] out = new int[count];
            long limit = (1L << 32) - (1L << 32) % bound;
            int filled = 0;
            while (filled < count) {
                ByteBuffer b = ByteBuffer.wrap(squeeze(label));
                for (int i = 0; i < 8 && filled < count; i++) {
                    long w = b.getInt() & 0xFFFFFFFFL;
                    if (w < limit) out[filled++] = (int) (w % bound);
                }
            }
            return out;
        }
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(12);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<long[]> values = Arbitraries.longs().map(Goldilocks::reduce).array(long[].class).ofMaxSize(20);
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 8), label, data, values,
                Arbitraries.integers().between(0, 40), Arbitraries.integers().between(1, Integer.MAX_VALUE))
                .as(Step::new);
        return step.list().ofMaxSize(30);
    }

    @Property(tries = 300)
    void transcriptFollowsTheSpecification(@ForAll String domain, @ForAll("runs") List<Step> steps) throws Exception {
        Transcript t = new Transcript(domain);
        Reference r = new Reference(domain);
        for (Step s : steps) {
            long[] v = s.values();
            switch (s.kind()) {
                case 0 -> { t.absorbBytes(s.label(), s.data()); r.record(1, s.label(), s.data().length); r.pending.writeBytes(s.data()); }
                case 1 -> { long x = v.length == 0 ? 0 : v[0]; t.absorbField(s.label(), x); r.record(2, s.label(), 1); r.u64(x); }
                case 2 -> { t.absorbFields(s.label(), v); r.record(2, s.label(), v.length); for (long x : v) r.u64(x); }
                case 3 -> {
                    Ext2[] e = new Ext2[v.length / 2];
                    for (int i = 0; i < e.length; i++) e[i] = new Ext2(v[2 * i], v[2 * i + 1]);
                    t.absorbExts(s.label(), e);
                    r.record(3, s.label(), e.length);
                    for (Ext2 x : e) { r.u64(x.c0()); r.u64(x.c1()); }
                }
                case 4 -> assertEquals(r.field(s.label()), t.challengeField(s.label()));
                case 5 -> assertEquals(new Ext2(r.field(s.label()), r.field(s.label())), t.challengeExt(s.label()));
                case 6 -> assertArrayEquals(r.squeeze(s.label()), t.challengeBytes(s.label()));
                case 7 -> assertArrayEquals(r.indices(s.label(), s.count(), s.bound()), t.challengeIndices(s.label(), s.count(), s.bound()));
                default -> {
                    Ext2[] want = new Ext2[s.count() % 5];
                    for (int i = 0; i < want.length; i++) want[i] = new Ext2(r.field(s.label()), r.field(s.label()));
                    assertEquals(Arrays.asList(want), Arrays.asList(t.challengeExts(s.label(), want.length)));
                }
            }
        }
        assertArrayEquals(r.squeeze("end"), t.challengeBytes("end"));
    }

    /** A known answer (computed by an independent Python reading of the spec), pinned so that the Java and Solidity transcripts (and this reference) cannot drift together. */
    @Test
    void knownAnswer() {
        Transcript t = new Transcript("kat");
        t.absorbField("x", 1);
        byte[] first = t.challengeBytes("c");
        byte[] second = t.challengeBytes("c");
        assertEquals("53c107d07ce27358c11d466c6087323354aef6bb55676737468706586a61be36", HexFormat.of().formatHex(first));
        assertEquals("220a3f5cc19d773eae12f7ea2cd7f19470e624b037842ae53f53625cedd8e3bb", HexFormat.of().formatHex(second));
    }
}
