package dev.verinfer.market;

import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;

/**
 * The binary form of a node's change feed ({@code GET /v1/requests/changes?format=binary}), for
 * agents that follow it every block with the inputs: the block it was read at (height, hash, time),
 * whether it replaces what the caller held (reset), and the requests as the market records them
 * (the snapshot's encoding, {@link StateCodec}; an input left out is empty). As JSON, the same
 * answer spells every input in Base64 and was the node's largest cost after proofs and signatures
 * under load (serialising it 15% of its CPU samples, parsing it 7% of the agents'); here an input
 * is copied as it is.
 */
public final class RequestFeedCodec {
    private static final int VERSION = 1;

    private RequestFeedCodec() {
    }

    /** A decoded answer: the head it was read at, whether it is a reset, and the requests. */
    public record Feed(long height, String hash, long timeMillis, boolean reset, List<Request> requests) {
        public Feed {
            requests = List.copyOf(requests);
        }
    }

    /** The answer's bytes; with {@code inputs} false every input is left out (empty). */
    public static byte[] encode(long height, String hash, long timeMillis, boolean reset, List<Request> requests, boolean inputs) {
        return assemble(height, hash, timeMillis, reset, requests.stream().map(r -> encodeRequest(r, inputs)).toList());
    }

    /** One request's part of an answer (a node may keep it for every caller that asks while the request is unchanged). */
    public static byte[] encodeRequest(Request r, boolean inputs) {
        Wire.Writer w = new Wire.Writer();
        StateCodec.writeRequest(w, inputs ? r : r.withInput(new byte[0]));
        return w.toBytes();
    }

    /** The answer's bytes from its requests' parts ({@link #encodeRequest}). */
    public static byte[] assemble(long height, String hash, long timeMillis, boolean reset, List<byte[]> requests) {
        byte[] head = new Wire.Writer().i32(VERSION).i64(height).str(hash).i64(timeMillis).bool(reset).i32(requests.size()).toBytes();
        int size = head.length;
        for (byte[] r : requests) {
            size = Math.addExact(size, r.length);
        }
        byte[] out = Arrays.copyOf(head, size);
        int at = head.length;
        for (byte[] r : requests) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    /** Decodes {@link #encode}'s bytes; {@link IllegalArgumentException} says why other bytes are not a change feed. */
    public static Feed decode(byte[] bytes) {
        try {
            Wire.Reader r = new Wire.Reader(bytes);
            int version = r.i32();
            if (version != VERSION) {
                throw new Wire.MalformedException("version " + version + ", expected " + VERSION);
            }
            long height = r.i64();
            String hash = r.str();
            long time = r.i64();
            boolean reset = r.bool();
            int n = r.i32();
            if (n < 0 || n > bytes.length) {
                throw new Wire.MalformedException("a count of " + n + " requests");
            }
            List<Request> requests = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                requests.add(StateCodec.readRequest(r));
            }
            r.end();
            return new Feed(height, hash, time, reset, requests);
        } catch (Wire.MalformedException e) {
            throw new IllegalArgumentException("malformed change feed: " + e.getMessage(), e);
        }
    }
}
