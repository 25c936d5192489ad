package dev.verinfer.transcript;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranscriptTest {
    @Property(tries = 200)
    void sameMessagesGiveSameChallenges(@ForAll long a, @ForAll byte[] bytes) {
        long x = Goldilocks.reduce(a);
        Transcript t1 = new Transcript("test");
        Transcript t2 = new Transcript("test");
        t1.absorbField("x", x);
        t2.absorbField("x", x);
        t1.absorbBytes("b", bytes);
        t2.absorbBytes("b", bytes);
        assertEquals(t1.challengeExt("r"), t2.challengeExt("r"));
        assertEquals(t1.challengeField("s"), t2.challengeField("s"));
    }

    @Property(tries = 200)
    void anyDifferenceChangesTheChallenge(@ForAll long a) {
        long x = Goldilocks.reduce(a);
        Transcript t1 = new Transcript("test");
        Transcript t2 = new Transcript("test");
        t1.absorbField("x", x);
        t2.absorbField("x", Goldilocks.add(x, 1));
        assertNotEquals(t1.challengeExt("r"), t2.challengeExt("r"));
    }

    @Test
    void labelsDomainsAndFramingSeparate() {
        assertNotEquals(challenge("a", t -> t.absorbField("x", 1)), challenge("b", t -> t.absorbField("x", 1)));
        assertNotEquals(challenge("a", t -> t.absorbField("x", 1)), challenge("a", t -> t.absorbField("y", 1)));
        // Framing: ["ab"] and ["a","b"] must differ, as must field vs byte encodings of the same bits.
        assertNotEquals(challenge("a", t -> t.absorbBytes("m", new byte[]{1, 2})),
                challenge("a", t -> { t.absorbBytes("m", new byte[]{1}); t.absorbBytes("m", new byte[]{2}); }));
        assertNotEquals(challenge("a", t -> t.absorbFields("m", new long[]{1, 2})),
                challenge("a", t -> t.absorbExt("m", new Ext2(1, 2))));
    }

    @Test
    void successiveChallengesDiffer() {
        Transcript t = new Transcript("test");
        assertNotEquals(t.challengeExt("r"), t.challengeExt("r"));
    }

    @Test
    void challengesAreCanonicalAndIndicesInRange() {
        Transcript t = new Transcript("test");
        for (int i = 0; i < 1000; i++) {
            assertTrue(Goldilocks.isCanonical(t.challengeField("f")));
        }
        int[] idx = t.challengeIndices("q", 5000, 1000);
        int[] counts = new int[1000];
        for (int i : idx) {
            assertTrue(i >= 0 && i < 1000);
            counts[i]++;
        }
        int max = 0;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        assertTrue(max < 25, "indices look uniform (max bucket " + max + ")");
    }

    @Test
    void nonCanonicalFieldElementsRefused() {
        Transcript t = new Transcript("test");
        assertThrows(IllegalArgumentException.class, () -> t.absorbField("x", Goldilocks.P));
        assertThrows(IllegalArgumentException.class, () -> t.absorbFields("x", new long[]{1, -1L}));
    }

    private static Ext2 challenge(String domain, java.util.function.Consumer<Transcript> absorb) {
        Transcript t = new Transcript(domain);
        absorb.accept(t);
        return t.challengeExt("r");
    }
}
