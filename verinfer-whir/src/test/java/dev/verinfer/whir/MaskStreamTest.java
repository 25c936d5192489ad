package dev.verinfer.whir;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@link MaskStream} draws, run by run on the workers, exactly the values of reading its AES-CTR keystream long by long
 * (the stream a seeded weight commitment was made from before it drew in parallel), whatever the requests' sizes and
 * the stream's parity when they start.
 */
class MaskStreamTest {
    /** The stream read long by long: AES-256-CTR from a zero counter, 16 KiB at a time, big-endian longs. */
    private static final class Reference {
        private final Cipher cipher;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 14);

        Reference(java.util.random.RandomGenerator random) throws Exception {
            byte[] key = new byte[32];
            random.nextBytes(key);
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            buffer.position(buffer.capacity());
        }

        long next() {
            if (!buffer.hasRemaining()) {
                buffer.clear();
                buffer.put(cipher.update(new byte[buffer.capacity()]));
                buffer.flip();
            }
            return buffer.getLong();
        }

        long[] fields(int count) {
            long[] out = new long[count];
            for (int i = 0; i < count; i++) {
                long v;
                do {
                    v = next();
                } while (Long.compareUnsigned(v, Goldilocks.P) >= 0);
                out[i] = v;
            }
            return out;
        }

        long[] salts(int leaves) {
            long[] out = new long[2 * leaves];
            for (int i = 0; i < out.length; i++) {
                out[i] = next();
            }
            return out;
        }
    }

    @Test
    void drawsTheKeystreamsValuesInOrderWhateverTheRequests() throws Exception {
        int threads = Parallelism.threads();
        try {
            for (int t : new int[] {1, 3}) {
                Parallelism.setThreads(t);
                MaskStream stream = new MaskStream(new SplittableRandom(11));
                Reference reference = new Reference(new SplittableRandom(11));
                SplittableRandom sizes = new SplittableRandom(5);
                for (int k = 0; k < 40; k++) {
                    // odd and even lengths (the next request starts mid-block), none, and several runs of 1 MiB
                    int count = k % 10 == 9 ? (1 << 18) + sizes.nextInt(3) : k % 10 == 4 ? 0 : sizes.nextInt(1, 5000);
                    if (sizes.nextBoolean()) {
                        assertArrayEquals(reference.fields(count), stream.fields(count), "request " + k);
                    } else {
                        assertArrayEquals(reference.salts(count), stream.salts(count), "request " + k);
                    }
                }
            }
        } finally {
            Parallelism.setThreads(threads);
        }
    }

    @Test
    void anotherKeyDrawsOtherValues() {
        assertNotEquals(java.util.Arrays.toString(new MaskStream(new SplittableRandom(1)).fields(8)),
                java.util.Arrays.toString(new MaskStream(new SplittableRandom(2)).fields(8)));
    }
}
