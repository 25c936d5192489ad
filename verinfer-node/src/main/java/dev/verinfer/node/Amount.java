package dev.verinfer.node;

import java.math.BigInteger;

/**
 * A token amount from the command line: any size is read (an ERC-20 amount is a uint256), and
 * each backend bounds it by what holds it, with a one-line error instead of an overflow: a node's
 * ledger keeps longs, the market contract uint96 fees and royalties and uint128 stakes.
 */
final class Amount {
    private Amount() {
    }

    /** The largest amount a node's ledger holds (2^63 - 1). */
    static final BigInteger NODE_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** The largest value of an unsigned integer of {@code bits} bits. */
    static BigInteger uintMax(int bits) {
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }

    /** {@code value} if it lies in 0..max ({@code positive}: 1..max), else a usage error naming the option and the bound. */
    static BigInteger check(String option, BigInteger value, BigInteger max, boolean positive, String holder) {
        if (value.signum() < 0 || positive && value.signum() == 0) {
            throw new CliException(ExitCodes.USAGE, option + " must be " + (positive ? "positive" : "0 or more") + ", not " + value);
        }
        if (value.compareTo(max) > 0) {
            throw new CliException(ExitCodes.USAGE, option + " " + value + " is too large: " + holder + " holds at most " + max);
        }
        return value;
    }

    /** {@link #check} against a node's ledger, as a long. */
    static long onNode(String option, BigInteger value, boolean positive) {
        return check(option, value, NODE_MAX, positive, "a node's ledger").longValueExact();
    }
}
