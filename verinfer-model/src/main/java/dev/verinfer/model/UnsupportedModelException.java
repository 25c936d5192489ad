package dev.verinfer.model;

/** A well-formed model uses an operator, attribute or attribute value verinfer cannot prove. */
public final class UnsupportedModelException extends RuntimeException {
    public UnsupportedModelException(String message) { super(message); }

    /** Most nodes named in one message (the rest are counted). */
    static final int MAX_NAMED = 25;

    /**
     * One exception for every node that blocks a model (a single problem is returned as it is), its
     * message one line: "N nodes block this model: node 'a' (Op): why; node 'b' (Op): why; ...".
     */
    public static UnsupportedModelException all(java.util.List<UnsupportedModelException> problems) {
        if (problems.size() == 1) return problems.getFirst();
        StringBuilder sb = new StringBuilder().append(problems.size()).append(" nodes block this model: ");
        for (int i = 0; i < Math.min(MAX_NAMED, problems.size()); i++) sb.append(i > 0 ? "; " : "").append(problems.get(i).getMessage());
        if (problems.size() > MAX_NAMED) sb.append("; and ").append(problems.size() - MAX_NAMED).append(" more");
        return new UnsupportedModelException(sb.toString());
    }

    /** Message names the node, its op type and what is missing. */
    public static UnsupportedModelException of(String node, String opType, String what) {
        return new UnsupportedModelException("node '" + node + "' (" + opType + "): " + what);
    }
}
