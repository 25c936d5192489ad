package dev.verinfer.codec;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

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
    void signedVarintsRoundTripInTheFewestBytes(@ForAll long v) throws MalformedProofException {
        byte[] bytes = ProofWriter.begin("TEST", 1).writeSignedVarint(v).toByteArray();
        ProofReader r = ProofReader.open(bytes, "TEST", 1);
        assertEquals(v, r.readSignedVarint());
        r.finish();
        long zigzag = (v << 1) ^ (v >> 63);
        int significantBits = Math.max(1, 64 - Long.numberOfLeadingZeros(zigzag));
        assertEquals(5 + (significantBits + 6) / 7, bytes.length);
    }

    @Test
    void smallSignedVarintsTakeOneByteAndOnlyTheShortestEncodingIsRead() throws MalformedProofException {
        assertEquals(6, ProofWriter.begin("TEST", 1).writeSignedVarint(-64).toByteArray().length);
        assertEquals(6, ProofWriter.begin("TEST", 1).writeSignedVarint(63).toByteArray().length);
        assertEquals(7, ProofWriter.begin("TEST", 1).writeSignedVarint(64).toByteArray().length);
        byte[] padded = ProofWriter.begin("TEST", 1).writeByte(0x81).writeByte(0x00).toByteArray(); // 1 with a trailing zero group
        assertThrows(MalformedProofException.class, () -> ProofReader.open(padded, "TEST", 1).readSignedVarint());
        byte[] tooLong = ProofWriter.begin("TEST", 1).writeRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x02}).toByteArray();
        assertThrows(MalformedProofException.class, () -> ProofReader.open(tooLong, "TEST", 1).readSignedVarint());
        byte[] unterminated = ProofWriter.begin("TEST", 1).writeByte(0x80).toByteArray();
        assertThrows(MalformedProofException.class, () -> ProofReader.open(unterminated, "TEST", 1).readSignedVarint());
    }
}
