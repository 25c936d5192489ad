package dev.verinfer.logup;

import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;

import java.util.List;
import java.util.stream.IntStream;

/**
 * What the verifier knows of a LogUp statement before seeing the proof: the number of columns, the
 * table's size and, per witness group, its size and whether it has a selector.
 */
public record LogUpShape(int numColumns, int tableNumVars, List<GroupShape> groups) {
    /** Largest supported variable count of a group or the table, and column and group counts. */
    public static final int MAX_VARS = 26;
    public static final int MAX_COLUMNS = 32;
    public static final int MAX_GROUPS = 4096;

    /** One witness group: 2^numVars rows, with or without a selector column. */
    public record GroupShape(int numVars, boolean hasSelector) {
        public GroupShape {
            checkVars(numVars);
        }
    }

    public LogUpShape {
        if (numColumns < 1 || numColumns > MAX_COLUMNS) {
            throw new IllegalArgumentException("column count " + numColumns + " outside [1, " + MAX_COLUMNS + "]");
        }
        checkVars(tableNumVars);
        if (groups.isEmpty() || groups.size() > MAX_GROUPS) {
            throw new IllegalArgumentException("group count " + groups.size() + " outside [1, " + MAX_GROUPS + "]");
        }
        groups = List.copyOf(groups);
    }

    /** The shape of a prover's inputs. */
    public static LogUpShape of(List<LookupWitness> groups, long[][] tableColumns) {
        if (tableColumns.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        int tableLength = tableColumns[0].length;
        for (long[] c : tableColumns) {
            if (c.length != tableLength) {
                throw new IllegalArgumentException("table columns differ in length: " + c.length + " vs " + tableLength);
            }
        }
        for (LookupWitness g : groups) {
            if (g.numColumns() != tableColumns.length) {
                throw new IllegalArgumentException("witness group has " + g.numColumns() + " columns, the table " + tableColumns.length);
            }
        }
        return new LogUpShape(tableColumns.length, Mle.numVars(tableLength),
                groups.stream().map(g -> new GroupShape(g.numVars(), g.hasSelector())).toList());
    }

    /** The GKR trees in proof order: the groups, then the table. */
    int numTrees() {
        return groups.size() + 1;
    }

    int treeDepth(int tree) {
        return tree < groups.size() ? groups.get(tree).numVars() : tableNumVars;
    }

    int maxDepth() {
        int d = tableNumVars;
        for (GroupShape g : groups) {
            d = Math.max(d, g.numVars());
        }
        return d;
    }

    /** Trees still being reduced at GKR layer i (those deeper than i), in tree order. */
    int[] activeTrees(int layer) {
        return IntStream.range(0, numTrees()).filter(t -> treeDepth(t) > layer).toArray();
    }

    /** Binds the shape into the transcript (domain separation between statements). */
    void absorb(Transcript t) {
        long[] fields = new long[3 + 2 * groups.size()];
        fields[0] = numColumns;
        fields[1] = tableNumVars;
        fields[2] = groups.size();
        for (int g = 0; g < groups.size(); g++) {
            fields[3 + 2 * g] = groups.get(g).numVars();
            fields[4 + 2 * g] = groups.get(g).hasSelector() ? 1 : 0;
        }
        t.absorbFields("logup/shape", fields);
    }

    private static void checkVars(int numVars) {
        if (numVars < 0 || numVars > MAX_VARS) {
            throw new IllegalArgumentException("variable count " + numVars + " outside [0, " + MAX_VARS + "]");
        }
    }
}
