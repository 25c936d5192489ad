package dev.verinfer.node;

import dev.verinfer.model.inputs.NamedInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three input forms: EZKL's input.json, a plain name map, and .npy. */
class TensorFilesTest {
    private static final List<TensorSpec> SPECS = List.of(new TensorSpec("a", new int[] {-1, 2, 3}), new TensorSpec("b", new int[] {2}));
    private static final float[] A = {1, 2, 3, 4, 5, 6.5f};

    @TempDir Path dir;

    @Test void ezklInputData() throws Exception {
        NamedInput in = TensorFiles.read(write("in.json", "{\"input_data\": [[1, 2, 3, 4, 5, 6.5], [7, 8]], \"output_data\": []}"), SPECS, "input_data");
        assertArrayEquals(A, in.values().get("a"));
        assertArrayEquals(new int[] {1, 2, 3}, in.shapes().get("a"));
        assertArrayEquals(new float[] {7, 8}, in.values().get("b"));
    }

    @Test void booleansAndIntegersOfEzklInputs() throws Exception {
        NamedInput in = TensorFiles.read(write("in.json", "{\"input_data\": [[1, 2, 3, 4, 5, 6.5], [true, false]]}"), SPECS, "input_data");
        assertArrayEquals(new float[] {1, 0}, in.values().get("b"));
    }

    @Test void plainMapWithNestedLists() throws Exception {
        NamedInput in = TensorFiles.read(write("in.json", "{\"b\": [7, 8], \"a\": [[[1, 2, 3], [4, 5, 6.5]], [[0, 0, 0], [0, 0, 1]]]}"), SPECS, "input_data");
        assertEquals(12, in.values().get("a").length);
        assertArrayEquals(new int[] {2, 2, 3}, in.shapes().get("a"));
    }

    @Test void npy() throws Exception {
        List<TensorSpec> one = List.of(SPECS.getFirst());
        assertArrayEquals(A, TensorFiles.read(npy("<f4", A), one, "input_data").values().get("a"));
        assertArrayEquals(A, TensorFiles.read(npy("<f8", A), one, "input_data").values().get("a"));
        CliException two = assertThrows(CliException.class, () -> TensorFiles.read(npy("<f4", A), SPECS, "input_data"));
        assertTrue(two.getMessage().contains("a .npy file holds one tensor but the model has 2"));
    }

    @Test void clearErrors() throws Exception {
        CliException count = assertThrows(CliException.class, () -> TensorFiles.read(write("c.json", "{\"a\": [1, 2, 3, 4, 5], \"b\": [1, 2]}"), SPECS, "input_data"));
        assertTrue(count.getMessage().endsWith("'a' has 5 values, expected shape [?, 2, 3]"), count.getMessage());
        CliException missing = assertThrows(CliException.class, () -> TensorFiles.read(write("m.json", "{\"a\": [1, 2, 3, 4, 5, 6]}"), SPECS, "input_data"));
        assertTrue(missing.getMessage().endsWith("has neither \"input_data\" nor a tensor named 'b'"), missing.getMessage());
        CliException text = assertThrows(CliException.class, () -> TensorFiles.read(write("t.json", "{\"input_data\": [[1, \"x\"], [1, 2]]}"), SPECS, "input_data"));
        assertTrue(text.getMessage().contains("expected numbers, found string"), text.getMessage());
        assertEquals(ExitCodes.USAGE, text.exitCode);
    }

    private Path write(String name, String json) throws Exception {
        return Files.writeString(dir.resolve(name), json);
    }

    /** A version-1.0 .npy file of shape (1, 2, 3). */
    private Path npy(String dtype, float[] values) throws Exception {
        int width = dtype.endsWith("8") ? 8 : 4;
        String header = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (1, 2, 3), }";
        int pad = 64 - (10 + header.length() + 1) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : values) {
            if (width == 8) b.putDouble(v);
            else b.putFloat(v);
        }
        return Files.write(dir.resolve(dtype.replace("<", "") + ".npy"), b.array());
    }
}
