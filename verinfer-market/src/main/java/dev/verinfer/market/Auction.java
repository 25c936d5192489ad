package dev.verinfer.market;

import java.math.BigInteger;

/** The reverse Dutch auction: the offered price rises linearly from the floor to the max fee over the ramp, from the moment the request (re-)opened. */
final class Auction {
    private Auction() {
    }

    static long floor(long maxFee, MarketParams params) {
        return MarketParams.fraction(maxFee, params.floorBps());
    }

    static long price(Request r, long now, MarketParams params) {
        long floor = floor(r.maxFee(), params);
        long elapsed = Math.clamp(now - r.openedAt(), 0, params.rampMillis());
        return floor + BigInteger.valueOf(r.maxFee() - floor).multiply(BigInteger.valueOf(elapsed))
                .divide(BigInteger.valueOf(params.rampMillis())).longValueExact();
    }
}
