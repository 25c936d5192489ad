package dev.verinfer.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Snapshots: a listing's rotation chain round-trips, and a snapshot written before rotations still restores. */
class StateCodecTest {
    private static final Model NEVER_ROTATED = new Model("model-a", "owner-a", new byte[] {1, 2, 3}, 7, false);

    @Test
    void aListingsRotationChainRoundTrips() {
        MarketState s = new MarketState();
        Model rotated = new Model("model-b", "owner-b", new byte[] {4, 5}, 9, false, new byte[] {9, 8, 7, 6});
        s.models.put(NEVER_ROTATED.id(), NEVER_ROTATED);
        s.models.put(rotated.id(), rotated);

        MarketState back = StateCodec.decode(StateCodec.encode(s));

        assertArrayEquals(new byte[] {9, 8, 7, 6}, back.models.get("model-b").weightRotations());
        assertEquals(0, back.models.get("model-a").weightRotations().length);
    }

    @Test
    void aSnapshotWrittenBeforeRotationsRestoresItsListingsAsNeverRotated() {
        MarketState s = new MarketState();
        s.models.put(NEVER_ROTATED.id(), NEVER_ROTATED);
        s.treasury = 11;
        byte[] now = StateCodec.encode(s);
        // Version 3 wrote each listing without the chain's bytes (an empty chain is a 4-byte zero length after the flag).
        int header = Integer.BYTES + 5 * Long.BYTES + 2 * Integer.BYTES;
        int chainAt = header + new Wire.Writer().str(NEVER_ROTATED.id()).str(NEVER_ROTATED.owner())
                .bytes(NEVER_ROTATED.verifyingKey()).i64(NEVER_ROTATED.royalty()).bool(false).toBytes().length;
        assertArrayEquals(new byte[Integer.BYTES], Arrays.copyOfRange(now, chainAt, chainAt + Integer.BYTES));
        byte[] v3 = new byte[now.length - Integer.BYTES];
        System.arraycopy(now, 0, v3, 0, chainAt);
        System.arraycopy(now, chainAt + Integer.BYTES, v3, chainAt, now.length - chainAt - Integer.BYTES);
        v3[3] = 3;

        MarketState back = StateCodec.decode(v3);

        assertEquals(11, back.treasury);
        assertArrayEquals(new byte[] {1, 2, 3}, back.models.get("model-a").verifyingKey());
        assertEquals(0, back.models.get("model-a").weightRotations().length);
        assertArrayEquals(now, StateCodec.encode(back));
    }

    @Test
    void otherSnapshotVersionsAreRefusedNamingTheVersion() {
        byte[] now = StateCodec.encode(new MarketState());
        for (int version : new int[] {2, 5}) {
            byte[] other = now.clone();
            other[3] = (byte) version;
            var e = assertThrows(IllegalArgumentException.class, () -> StateCodec.decode(other));
            assertTrue(e.getMessage().contains("market snapshot version " + version), e.getMessage());
        }
    }
}
