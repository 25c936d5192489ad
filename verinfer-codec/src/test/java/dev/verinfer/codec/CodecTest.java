package dev.verinfer.codec;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecTest {
    private static byte[] sample(long[] fields, byte[] raw) {
        return ProofWriter.begin("TEST", 1).writeFields(fields).writeExt(new Ext2(3, 4)).writeBytes(raw).writeInt(-7).toByteArray();
    }

    @Property(tries = 200)
    void roundTrips(@ForAll long[] values, @ForAll byte[] raw) throws MalformedProofException {
        long[] fields = Arrays.stream(values).map(Goldilocks::reduce).toArray();
        ProofReader r = ProofReader.open(sample(fields, raw), "TEST", 1);
        assertArrayEquals(fields, r.readFields(1 << 20, "fields"));
        assertEquals(new Ext2(3, 4), r.readExt());
        assertArrayEquals(raw, r.readBytes(1 << 20, "raw"));
        assertEquals(-7, r.readInt());
        r.finish();
    }

    @Test
    void everyTruncationIsAClearError() {
        byte[] full = sample(new long[]{1, 2, 3}, new byte[]{9, 9});
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            MalformedProofException e = assertThrows(MalformedProofException.class, () -> {
                ProofReader r = ProofReader.open(cut, "TEST", 1);
                r.readFields(1 << 20, "fields");
                r.readExt();
                r.readBytes(1 << 20, "raw");
                r.readInt();
                r.finish();
            });
            assertTrue(e.getMessage().length() > 10);
        }
    }

    @Test
    void rejectsWrongMagicVersionNonCanonicalAndTrailingBytes() throws MalformedProofException {
        byte[] ok = sample(new long[]{1}, new byte[0]);
        assertThrows(MalformedProofException.class, () -> ProofReader.open(ok, "PRFX", 1));
        assertThrows(MalformedProofException.class, () -> ProofReader.open(ok, "TEST", 2));
        byte[] nonCanonical = ProofWriter.begin("TEST", 1).writeLong(Goldilocks.P).toByteArray();
        assertThrows(MalformedProofException.class, () -> ProofReader.open(nonCanonical, "TEST", 1).readField());
        byte[] hugeLength = ProofWriter.begin("TEST", 1).writeInt(Integer.MAX_VALUE).toByteArray();
        assertThrows(MalformedProofException.class, () -> ProofReader.open(hugeLength, "TEST", 1).readFields(Integer.MAX_VALUE, "fields"));
        assertThrows(MalformedProofException.class, () -> ProofReader.open(hugeLength, "TEST", 1).readFields(100, "fields"));
        ProofReader r = ProofReader.open(ok, "TEST", 1);
        r.readFields(10, "fields");
        assertThrows(MalformedProofException.class, r::finish);
    }

    @Property(tries = 500)
    void packedSignedValuesRoundTripAtTheFewestBits(@ForAll @Size(max = 40) List<Long> list, @ForAll @IntRange(min = 0, max = 63) int shift)
            throws MalformedProofException {
        long[] v = list.stream().mapToLong(x -> x >> shift).toArray();
        byte[] bytes = ProofWriter.begin("TEST", 1).writePackedSigned(v).toByteArray();
        ProofReader r = ProofReader.open(bytes, "TEST", 1);
        assertArrayEquals(v, r.readPackedSigned(v.length, "values"));
        r.finish();
        int w = bytes[5];
        assertTrue(w >= 1 && w <= 64 && Arrays.stream(v).allMatch(x -> x >= -(1L << (w - 1)) || w == 64), "width " + w);
        assertTrue(w == 1 || Arrays.stream(v).anyMatch(x -> x < -(1L << (w - 2)) || x >= 1L << (w - 2)), "width " + w + " is not minimal");
        assertEquals(6 + (v.length * w + 7) / 8, bytes.length);
    }

    @Test
    void quantisedValuesTakeTheirBitsAndOnlyTheCanonicalPackingIsRead() throws MalformedProofException {
        long[] v = {-32768, 32767, 0, -1};
        byte[] bytes = ProofWriter.begin("TEST", 1).writePackedSigned(v).toByteArray();
        assertEquals(5 + 1 + 8, bytes.length, "16 bits a value");
        assertEquals(16, bytes[5]);
        assertEquals(5 + 1 + 1, ProofWriter.begin("TEST", 1).writePackedSigned(new long[] {0, 0, -1, 0, 0, 0, 0, 0}).toByteArray().length);
        byte[] wider = ProofWriter.begin("TEST", 1).writeByte(3).writeByte(0b0010_0000).toByteArray(); // 1 as 001: 01 is the canonical width
        assertEquals(1L, ProofReader.open(ProofWriter.begin("TEST", 1).writeByte(2).writeByte(0b0100_0000).toByteArray(), "TEST", 1).readPackedSigned(1, "values")[0]);
        assertThrows(MalformedProofException.class, () -> ProofReader.open(wider, "TEST", 1).readPackedSigned(1, "values"));
        byte[] zero = bytes.clone();
        zero[5] = 0;
        assertThrows(MalformedProofException.class, () -> ProofReader.open(zero, "TEST", 1).readPackedSigned(4, "values"));
        byte[] over = bytes.clone();
        over[5] = 65;
        assertThrows(MalformedProofException.class, () -> ProofReader.open(over, "TEST", 1).readPackedSigned(4, "values"));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 1);
        assertThrows(MalformedProofException.class, () -> ProofReader.open(truncated, "TEST", 1).readPackedSigned(4, "values"));
        byte[] padding = ProofWriter.begin("TEST", 1).writePackedSigned(new long[] {1, -1, 0}).toByteArray(); // 3 values of 2 bits: 2 padding bits
        padding[padding.length - 1] |= 1;
        assertThrows(MalformedProofException.class, () -> ProofReader.open(padding, "TEST", 1).readPackedSigned(3, "values"));
    }
}
