package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The prover's secret randomness for hiding commitments: AES-256 in counter mode keyed by 32 bytes drawn
 * from the caller's generator (a SecureRandom in production), the PRG of NIST SP 800-90A's CTR_DRBG
 * without reseeding. Masks of 2^20 field elements are drawn in milliseconds, where a SecureRandom call
 * per element would take a second. Field elements by rejection (a value ≥ p, probability 2^−32, is
 * redrawn), so they are uniform up to the PRG's indistinguishability.
 *
 * <p>The stream is the keystream (counter blocks 0, 1, … from an all-zero IV, the counter a 128-bit big-endian integer)
 * read as big-endian longs in order. Counter mode seeks: a request is cut into runs of {@link #RUN_BLOCKS} blocks, each
 * encrypted from its own first counter on a {@link Parallelism} worker, so a large mask is drawn on every core; the
 * values are those of reading the stream long by long (a seeded key's commitment, recomputed from its seed, is unchanged).
 */
final class MaskStream {
    /** Counter blocks (16 bytes) per run of a request: 1 MiB of keystream. */
    private static final int RUN_BLOCKS = 1 << 16;
    private static final byte[] ZEROS = new byte[16 * RUN_BLOCKS];
    private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final SecretKeySpec key;
    /** Longs of the stream read so far. */
    private long position;
    /**
     * Requests drawn ahead ({@link #drawAhead}, {@link #saltsAhead}: a {@link PreparedMasks}), handed out in order by {@link #fields}
     * and {@link #salts} before the stream is read on; a mask's codeword and evaluation table made with it.
     */
    private final java.util.ArrayDeque<Drawn> ahead = new java.util.ArrayDeque<>();
    private final java.util.List<Drawn> made = new java.util.ArrayList<>();
    /** The carrier's hashing done ahead (null: none). */
    private Carrier.Ahead carrierAhead;

    /** A request drawn ahead: its values ({@code salts}: 16-byte salts) and, for a mask, its codeword on 2^logDomain points and table. */
    private static final class Drawn {
        final long[] values;
        final boolean salts;
        final int logDomain;
        long[] code;
        long[] table;
        /** Its contractions at fixed points ({@link #contractAhead}; null: none), with those points. */
        Ext2[][] contracted;
        List<Ext2[]> contractedAt;

        Drawn(long[] values, boolean salts, int logDomain, long[] code, long[] table) {
            this.values = values;
            this.salts = salts;
            this.logDomain = logDomain;
            this.code = code;
            this.table = table;
        }
    }

    MaskStream(RandomGenerator random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        key = new SecretKeySpec(bytes, "AES");
        cipher(0); // refuses a JVM without AES-CTR at once
    }

    /** The stream a commitment draws from: {@code random}'s prepared one ({@link PreparedMasks}, once), else one keyed by it. */
    static MaskStream of(RandomGenerator random) {
        return random instanceof PreparedMasks p ? p.take() : new MaskStream(random);
    }

    /**
     * Draws {@code count} field elements now, for the {@link #fields} request that will ask for them; with {@code logDomain} ≥ 0
     * (a mask g) also its codeword there ({@link Codewords#encode}) and its evaluation table, which {@link #code} and
     * {@link #evaluations} hand out (once) for those very values.
     */
    synchronized long[] drawAhead(int count, int logDomain) {
        long[] values = drawFields(count);
        if (logDomain < 0) {
            ahead.add(new Drawn(values, false, -1, null, null));
            return null;
        }
        long[] table = values.clone();
        Codewords.toEvaluations(table);
        Drawn d = new Drawn(values, false, logDomain, Codewords.encode(values, logDomain), table);
        ahead.add(d);
        made.add(d);
        return d.code;
    }

    /**
     * The contractions of the mask whose codeword {@link #drawAhead} returned as {@code code} at these points, made now
     * ({@link Contractions#at}: its table over its own variables, a first fold of {@code fold}), for {@link #contracted}.
     */
    synchronized void contractAhead(long[] code, List<Ext2[]> points, int fold) {
        for (Drawn d : made) {
            if (d.code == code) {
                d.contracted = Contractions.at(d.table, points, Integer.numberOfTrailingZeros(d.table.length), fold);
                d.contractedAt = List.copyOf(points);
                return;
            }
        }
        throw new IllegalArgumentException("no mask drawn ahead has this codeword");
    }

    /** The contractions made ahead for these mask values at exactly these points ({@link #contractAhead}), once; else null. */
    synchronized Ext2[][] contracted(long[] mask, List<Ext2[]> points) {
        for (Drawn d : made) {
            if (d.values == mask && d.contracted != null && java.util.Arrays.deepEquals(d.contractedAt.toArray(), points.toArray())) {
                Ext2[][] c = d.contracted;
                d.contracted = null;
                return c;
            }
        }
        return null;
    }

    /** Draws salts for {@code leaves} now, for the {@link #salts} request that will ask for them; returns them. */
    synchronized long[] saltsAhead(int leaves) {
        long[] salts = next(2 * leaves);
        ahead.add(new Drawn(salts, true, -1, null, null));
        return salts;
    }

    /** Keeps what the reserve hashed ahead of the carrier this stream's commitment will commit ({@link Carrier#below}, {@link Carrier#halves}). */
    synchronized void carrierAhead(Carrier.Ahead ahead) {
        carrierAhead = ahead;
    }

    /** The carrier's hashing done ahead, once (null: none). */
    synchronized Carrier.Ahead carrierAhead() {
        Carrier.Ahead ahead = carrierAhead;
        carrierAhead = null;
        return ahead;
    }

    private long[] nextAhead(boolean salts, int count) {
        Drawn d = ahead.poll();
        if (d == null) {
            return null;
        }
        if (d.salts != salts || d.values.length != count) {
            throw new IllegalStateException("masks prepared for another commitment: " + (salts ? "salts" : "field elements") + " asked for "
                    + count + ", " + (d.salts ? "salts" : "field elements") + " prepared for " + d.values.length);
        }
        return d.values;
    }

    /** g's codeword on 2^logDomain points: made ahead for these values ({@link #drawAhead}, handed out once), else encoded now. */
    synchronized long[] code(long[] mask, int logDomain) {
        for (Drawn d : made) {
            if (d.values == mask && d.logDomain == logDomain && d.code != null) {
                long[] c = d.code;
                d.code = null;
                return c;
            }
        }
        return Codewords.encode(mask, logDomain);
    }

    /** g's evaluation table: made ahead for these values ({@link #drawAhead}, handed out once), else transformed now. */
    synchronized long[] evaluations(long[] mask) {
        for (Drawn d : made) {
            if (d.values == mask && d.table != null) {
                long[] t = d.table;
                d.table = null;
                return t;
            }
        }
        long[] table = mask.clone();
        Codewords.toEvaluations(table);
        return table;
    }

    private Cipher cipher(long block) {
        byte[] counter = new byte[16];
        BIG_ENDIAN.set(counter, 8, block);
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counter));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available in this JVM", e);
        }
    }

    /** The next {@code count} longs of the stream. */
    private long[] next(int count) {
        long start = position;
        position += count;
        long[] out = new long[count];
        long firstBlock = start / 2;
        long blocks = (start + count + 1) / 2 - firstBlock;
        int runs = (int) ((blocks + RUN_BLOCKS - 1) / RUN_BLOCKS);
        Parallelism.forEachChunk(runs, 1, (from, to) -> {
            byte[] bytes = new byte[ZEROS.length];
            for (int r = from; r < to; r++) {
                long block = firstBlock + (long) r * RUN_BLOCKS;
                int len = (int) Math.min(RUN_BLOCKS, firstBlock + blocks - block) * 16;
                try {
                    cipher(block).doFinal(ZEROS, 0, len, bytes, 0);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("AES-CTR failed", e);
                }
                long first = 2 * block; // the stream long at bytes[0]
                for (int at = 0; at < len; at += 8) {
                    long j = first + at / 8 - start;
                    if (j >= 0 && j < count) {
                        out[(int) j] = (long) BIG_ENDIAN.get(bytes, at);
                    }
                }
            }
        });
        return out;
    }

    /** {@code count} uniform field elements. */
    synchronized long[] fields(int count) {
        long[] drawn = nextAhead(false, count);
        return drawn != null ? drawn : drawFields(count);
    }

    private long[] drawFields(int count) {
        long[] out = new long[count];
        int filled = 0;
        while (filled < count) { // the stream's values below p, in order: a rejected one is replaced by the next
            for (long v : next(count - filled)) {
                if (Long.compareUnsigned(v, Goldilocks.P) < 0) {
                    out[filled++] = v;
                }
            }
        }
        return out;
    }

    /** 16-byte salts, two longs per leaf. */
    synchronized long[] salts(int leaves) {
        long[] drawn = nextAhead(true, 2 * leaves);
        return drawn != null ? drawn : next(2 * leaves);
    }
}
