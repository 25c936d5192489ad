package dev.verinfer.ledger;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The journal's encoding of a block, and the block hash of the chain. */
final class BlockCodec {
    private static final byte[] DOMAIN = "verinfer-block-v1".getBytes(StandardCharsets.US_ASCII);

    private BlockCodec() {
    }

    /** SHA-256 over the domain tag, height, time, parent hash and every transaction's hash (their count first). */
    static Hash hash(long height, long timeMillis, Hash parent, List<byte[]> transactions) {
        return hashOf(height, timeMillis, parent, transactions.stream().map(Hash::of).toList());
    }

    /** {@link #hash} from the transactions' hashes. */
    private static Hash hashOf(long height, long timeMillis, Hash parent, List<Hash> transactions) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(DOMAIN);
            out.writeLong(height);
            out.writeLong(timeMillis);
            out.write(parent.bytes());
            out.writeInt(transactions.size());
            for (Hash tx : transactions) {
                out.write(tx.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Hash.of(bytes.toByteArray());
    }

    static byte[] encode(Block b) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(b.height());
            out.writeLong(b.timeMillis());
            out.write(b.parentHash().bytes());
            out.write(b.hash().bytes());
            List<byte[]> txs = b.transactions();
            out.writeInt(txs.size());
            for (int i = 0; i < txs.size(); i++) {
                out.writeInt(txs.get(i).length);
                out.write(txs.get(i));
                TxOutcome o = b.outcomes().get(i);
                out.writeBoolean(o.accepted());
                byte[] reason = o.reason().getBytes(StandardCharsets.UTF_8);
                out.writeInt(reason.length);
                out.write(reason);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a block and checks that its stored hash is the hash of its contents. */
    static Block decode(byte[] payload) throws CorruptLedgerException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            long height = in.readLong();
            long time = in.readLong();
            Hash parent = new Hash(in.readNBytes(Hash.LENGTH));
            Hash hash = new Hash(in.readNBytes(Hash.LENGTH));
            int n = in.readInt();
            List<byte[]> txs = new ArrayList<>();
            List<TxOutcome> outcomes = new ArrayList<>();
            List<Hash> txHashes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] tx = readChunk(in);
                boolean accepted = in.readBoolean();
                String reason = new String(readChunk(in), StandardCharsets.UTF_8);
                txs.add(tx);
                txHashes.add(Hash.of(tx)); // once: the outcome's id and the block hash's input (a proof is up to a megabyte)
                outcomes.add(new TxOutcome(txHashes.getLast(), accepted, reason));
            }
            if (in.available() != 0) {
                throw new CorruptLedgerException("block " + height + " has " + in.available() + " trailing bytes");
            }
            if (!hashOf(height, time, parent, txHashes).equals(hash)) {
                throw new CorruptLedgerException("block " + height + " does not hash to its stored hash " + hash);
            }
            return new Block(height, time, parent, hash, txs, outcomes);
        } catch (CorruptLedgerException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptLedgerException("undecodable block record: " + e.getMessage());
        }
    }

    private static byte[] readChunk(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("chunk length " + n + " exceeds the record");
        }
        return in.readNBytes(n);
    }
}
