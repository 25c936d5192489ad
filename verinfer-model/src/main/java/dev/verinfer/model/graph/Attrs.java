package dev.verinfer.model.graph;

import dev.verinfer.model.UnsupportedModelException;

import java.util.Set;

/** Typed attribute access on a node, with the checks that turn bad attributes into clear errors. */
public final class Attrs {
    private Attrs() {}

    public static long getInt(Node n, String name, long dflt) {
        Object v = n.attributes().get(name);
        return v == null ? dflt : ((Number) v).longValue();
    }

    public static double getFloat(Node n, String name, double dflt) {
        Object v = n.attributes().get(name);
        return v == null ? dflt : ((Number) v).doubleValue();
    }

    public static String getString(Node n, String name, String dflt) {
        Object v = n.attributes().get(name);
        return v == null ? dflt : (String) v;
    }

    /** An ints attribute, or null when absent. */
    public static long[] getInts(Node n, String name) {
        return (long[]) n.attributes().get(name);
    }

    public static int[] getIntArray(Node n, String name, int[] dflt) {
        long[] v = getInts(n, name);
        if (v == null) return dflt;
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Math.toIntExact(v[i]);
        return r;
    }

    /** Throws when the node carries an attribute outside {@code allowed}. */
    public static void allowOnly(Node n, Set<String> allowed) {
        for (String a : n.attributes().keySet()) {
            if (!allowed.contains(a)) throw UnsupportedModelException.of(n.name(), n.opType(), "unsupported attribute '" + a + "'");
        }
    }

    public static UnsupportedModelException unsupported(Node n, String what) {
        return UnsupportedModelException.of(n.name(), n.opType(), what);
    }
}
