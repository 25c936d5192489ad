package dev.verinfer.node;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a NumPy .npy array (format 1.0–3.0, C order, float/int/uint/bool dtypes) as float values and a shape. */
final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiub])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    record Array(int[] shape, float[] values) {}

    private Npy() {}

    static Array read(byte[] bytes, String source) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || b.get() != (byte) 0x93 || !"NUMPY".equals(new String(bytes, 1, 5, StandardCharsets.US_ASCII))) {
            throw bad(source, "not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        b.position(8);
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        int dataStart = b.position() + headerLength;
        if (dataStart > bytes.length) throw bad(source, "truncated header");
        String header = new String(bytes, b.position(), headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header), fortran = FORTRAN.matcher(header), shapeM = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeM.find()) throw bad(source, "unsupported header " + header.strip());
        if (fortran.group(1).equals("True")) throw bad(source, "Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        int[] shape = Arrays.stream(shapeM.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long count = TensorSpec.size(shape);
        char kind = descr.group(2).charAt(0);
        int width = Integer.parseInt(descr.group(3));
        if (count * width != bytes.length - dataStart) {
            throw bad(source, "holds " + (bytes.length - dataStart) + " data bytes, shape " + Arrays.toString(shape) + " needs " + count * width);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) v[i] = element(data, kind, width, source);
        return new Array(shape, v);
    }

    private static float element(ByteBuffer d, char kind, int width, String source) {
        return switch (kind + "" + width) {
            case "f4" -> d.getFloat();
            case "f8" -> (float) d.getDouble();
            case "i1" -> d.get();
            case "i2" -> d.getShort();
            case "i4" -> d.getInt();
            case "i8" -> d.getLong();
            case "u1", "b1" -> Byte.toUnsignedInt(d.get());
            case "u2" -> Short.toUnsignedInt(d.getShort());
            case "u4" -> Integer.toUnsignedLong(d.getInt());
            default -> throw bad(source, "unsupported dtype " + kind + width);
        };
    }

    private static CliException bad(String source, String what) {
        return new CliException(ExitCodes.USAGE, source + ": " + what);
    }
}
