package dev.verinfer.node;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --input-shape}: symbolic input dimensions fixed from the command line, with one-line errors. */
class InputShapesTest {
    private static final TensorSpec OCR = new TensorSpec("x", new int[] {-1, 3, -1, -1});
    private static final List<TensorSpec> TWO = List.of(OCR, new TensorSpec("y", new int[] {-1, 2}));

    @Test void aSymbolicShapeIsFixedAndThenReadsTheInput() {
        List<TensorSpec> specs = InputShapes.apply(List.of(OCR), List.of("1,3,48,192"));
        assertArrayEquals(new int[] {1, 3, 48, 192}, specs.getFirst().shape());
        assertArrayEquals(new int[] {1, 3, 48, 192}, specs.getFirst().resolve(3 * 48 * 192, "in.json"));
        List<TensorSpec> named = InputShapes.apply(TWO, List.of("y=4,2", "x = 2,3,8,8"));
        assertArrayEquals(new int[] {2, 3, 8, 8}, named.get(0).shape());
        assertArrayEquals(new int[] {4, 2}, named.get(1).shape());
        assertEquals(TWO, InputShapes.apply(TWO, List.of()));
    }

    @Test void withoutAShapeTheErrorSaysHowToGiveIt() {
        CliException e = assertThrows(CliException.class, () -> OCR.resolve(3 * 48 * 192, "in.json"));
        assertTrue(e.getMessage().contains("'x' has more than one free dimension [?, 3, ?, ?]: give its shape with --input-shape x=D,D,..."), e.getMessage());
        CliException count = assertThrows(CliException.class,
                () -> InputShapes.apply(List.of(OCR), List.of("1,3,48,192")).getFirst().resolve(3 * 48 * 100, "in.json"));
        assertTrue(count.getMessage().endsWith("'x' has 14400 values, expected shape [1, 3, 48, 192] (27648 values)"), count.getMessage());
    }

    @Test void wrongShapesAreRefusedInOneLine() {
        assertEquals("--input-shape 1,3,48: 'x' is declared [?, 3, ?, ?], rank 4, not 3", message(List.of(OCR), "1,3,48"));
        assertEquals("--input-shape 1,4,48,192: 'x' is declared [?, 3, ?, ?]: dimension 1 is 3, not 4", message(List.of(OCR), "1,4,48,192"));
        assertEquals("--input-shape 1,3,0,192: dimensions must be positive integers, comma-separated, found '0'", message(List.of(OCR), "1,3,0,192"));
        assertEquals("--input-shape 1,3,a,192: dimensions must be positive integers, comma-separated, found 'a'", message(List.of(OCR), "1,3,a,192"));
        assertEquals("--input-shape z=1: the model has no input 'z'; its inputs are [x [?, 3, ?, ?], y [?, 2]]", message(TWO, "z=1"));
        assertEquals("--input-shape 1,2: the model has 2 inputs [x [?, 3, ?, ?], y [?, 2]]; name one as NAME=D,D,...", message(TWO, "1,2"));
        assertEquals("--input-shape: 'y' is given twice", message(TWO, "y=1,2", "y=3,2"));
    }

    private static String message(List<TensorSpec> specs, String... given) {
        CliException e = assertThrows(CliException.class, () -> InputShapes.apply(specs, List.of(given)));
        assertEquals(ExitCodes.USAGE, e.exitCode);
        return e.getMessage();
    }
}
