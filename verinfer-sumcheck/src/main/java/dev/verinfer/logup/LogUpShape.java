package dev.verinfer.logup;

import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;

import java.util.List;
import java.util.stream.IntStream;

/**
 * What the verifier knows of a LogUp statement before seeing the proof: the tables (column count and
 * size each) and, per witness group, its size, whether it has a selector and which table it looks into.
 */
public record LogUpShape(List<TableShape> tables, List<GroupShape> groups) {
    /** Largest supported variable count of a group or a table, and column, group and table counts. */
    public static final int MAX_VARS = 26;
    public static final int MAX_COLUMNS = 32;
    public static final int MAX_GROUPS = 4096;
    public static final int MAX_TABLES = 256;
    /** Largest packed leaf vector (all groups and tables side by side). */
    public static final int MAX_PACKED_VARS = 27;
    /** Most GKR trees: one per binary digit of a leaf count of at most 2^MAX_PACKED_VARS. */
    public static final int MAX_TREES = MAX_PACKED_VARS;

    /** One table: 2^numVars rows of numColumns columns. */
    public record TableShape(int numColumns, int numVars) {
        public TableShape {
            if (numColumns < 1 || numColumns > MAX_COLUMNS) {
                throw new IllegalArgumentException("column count " + numColumns + " outside [1, " + MAX_COLUMNS + "]");
            }
            checkVars(numVars);
        }
    }

    /** One witness group: 2^numVars rows into table {@code table}, with or without a selector column. */
    public record GroupShape(int numVars, boolean hasSelector, int table) {
        public GroupShape {
            checkVars(numVars);
            if (table < 0 || table >= MAX_TABLES) {
                throw new IllegalArgumentException("table index " + table + " outside [0, " + MAX_TABLES + ")");
            }
        }

        /** A group of the first (or only) table. */
        public GroupShape(int numVars, boolean hasSelector) {
            this(numVars, hasSelector, 0);
        }
    }

    public LogUpShape {
        if (tables.isEmpty() || tables.size() > MAX_TABLES) {
            throw new IllegalArgumentException("table count " + tables.size() + " outside [1, " + MAX_TABLES + "]");
        }
        if (groups.isEmpty() || groups.size() > MAX_GROUPS) {
            throw new IllegalArgumentException("group count " + groups.size() + " outside [1, " + MAX_GROUPS + "]");
        }
        for (GroupShape g : groups) {
            if (g.table() >= tables.size()) {
                throw new IllegalArgumentException("a group looks into table " + g.table() + " of " + tables.size());
            }
        }
        tables = List.copyOf(tables);
        groups = List.copyOf(groups);
        long total = leaves(tables, groups);
        if (total > 1L << MAX_PACKED_VARS) {
            throw new IllegalArgumentException("look-ups and tables total " + total + " entries, above 2^" + MAX_PACKED_VARS);
        }
    }

    /** A statement with one table of {@code numColumns} columns and 2^tableNumVars rows. */
    public LogUpShape(int numColumns, int tableNumVars, List<GroupShape> groups) {
        this(List.of(new TableShape(numColumns, tableNumVars)), groups);
    }

    /** The shape of a prover's inputs. */
    public static LogUpShape of(List<LookupWitness> groups, List<LogUpTable> tables) {
        for (LookupWitness g : groups) {
            if (g.table() >= tables.size()) {
                throw new IllegalArgumentException("a group looks into table " + g.table() + " of " + tables.size());
            }
            int cols = tables.get(g.table()).numColumns();
            if (g.numColumns() != cols) {
                throw new IllegalArgumentException("witness group has " + g.numColumns() + " columns, its table " + cols);
            }
        }
        return new LogUpShape(tables.stream().map(t -> new TableShape(t.numColumns(), t.numVars())).toList(),
                groups.stream().map(g -> new GroupShape(g.numVars(), g.hasSelector(), g.table())).toList());
    }

    /** The fraction blocks: the groups, then the tables. */
    int numBlocks() {
        return groups.size() + tables.size();
    }

    int blockVars(int block) {
        return block < groups.size() ? groups.get(block).numVars() : tables.get(block - groups.size()).numVars();
    }

    /** The column count of a block's tuples (a group's is its table's). */
    int blockColumns(int block) {
        return tables.get(block < groups.size() ? groups.get(block).table() : block - groups.size()).numColumns();
    }

    /** The table whose tagged look-up point a block's denominators use. */
    int blockTable(int block) {
        return block < groups.size() ? groups.get(block).table() : block - groups.size();
    }

    /**
     * Where each block's 2^d fractions sit in the one packed leaf vector: blocks placed largest first,
     * so every offset is a multiple of its block's size and the block is the subcube whose high
     * variables are the bits of offset / 2^d.
     */
    long[] offsets() {
        Integer[] order = IntStream.range(0, numBlocks()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(blockVars(b), blockVars(a)));
        long[] offsets = new long[numBlocks()];
        long next = 0;
        for (int b : order) {
            offsets[b] = next;
            next += 1L << blockVars(b);
        }
        return offsets;
    }

    /**
     * The GKR trees: the packed blocks [0, T) cut at the binary digits of T = Σ_b 2^(d_b), so tree k
     * holds [start_k, start_k + 2^(e_k)) for the set bits e_1 > e_2 > … of T. Each block lies in one
     * tree (blocks are aligned powers of two placed largest first, and every boundary is a multiple
     * of each block size that can reach it), and no leaf is padding: the GKR does no wasted work.
     */
    int[] treeVars() {
        long total = leaves(tables, groups);
        int[] vars = new int[Long.bitCount(total)];
        for (int k = 0; k < vars.length; k++) {
            vars[k] = 63 - Long.numberOfLeadingZeros(total);
            total -= 1L << vars[k];
        }
        return vars;
    }

    /** Where each tree starts in the packed order. */
    long[] treeStarts() {
        int[] vars = treeVars();
        long[] starts = new long[vars.length];
        for (int k = 1; k < vars.length; k++) {
            starts[k] = starts[k - 1] + (1L << vars[k - 1]);
        }
        return starts;
    }

    /** The tree holding the block at packed offset {@code offset}. */
    int treeOf(long offset) {
        long[] starts = treeStarts();
        int k = starts.length - 1;
        while (starts[k] > offset) {
            k--;
        }
        return k;
    }

    int maxDepth() {
        return treeVars()[0];
    }

    /** Trees still being reduced at GKR layer i (those deeper than i), in tree order. */
    int[] activeTrees(int layer) {
        int[] vars = treeVars();
        return IntStream.range(0, vars.length).filter(t -> vars[t] > layer).toArray();
    }

    /** The widest table's column count: tuples are tagged with their table at β^maxColumns. */
    int maxColumns() {
        return tables.stream().mapToInt(TableShape::numColumns).max().orElseThrow();
    }

    /** Binds the shape into the transcript (domain separation between statements). */
    void absorb(Transcript t) {
        long[] fields = new long[2 + 2 * tables.size() + 3 * groups.size()];
        int i = 0;
        fields[i++] = tables.size();
        for (TableShape s : tables) {
            fields[i++] = s.numColumns();
            fields[i++] = s.numVars();
        }
        fields[i++] = groups.size();
        for (GroupShape g : groups) {
            fields[i++] = g.numVars();
            fields[i++] = g.hasSelector() ? 1 : 0;
            fields[i++] = g.table();
        }
        t.absorbFields("logup/shape", fields);
    }

    /** Σ_b 2^(d_b) over the groups and tables: the packed leaf count. */
    private static long leaves(List<TableShape> tables, List<GroupShape> groups) {
        long total = 0;
        for (TableShape t : tables) {
            total += 1L << t.numVars();
        }
        for (GroupShape g : groups) {
            total += 1L << g.numVars();
        }
        return total;
    }

    private static void checkVars(int numVars) {
        if (numVars < 0 || numVars > MAX_VARS) {
            throw new IllegalArgumentException("variable count " + numVars + " outside [0, " + MAX_VARS + "]");
        }
    }
}
