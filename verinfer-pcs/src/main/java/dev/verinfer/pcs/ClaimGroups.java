package dev.verinfer.pcs;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Claims partitioned by commitment (root and arity), groups in order of first appearance. */
final class ClaimGroups {
    private ClaimGroups() {}

    /** Each group lists the positions of its claims in {@code claims}, ascending. */
    static List<int[]> of(List<PcsClaim> claims) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < claims.size(); i++) {
            PcsClaim c = claims.get(i);
            groups.computeIfAbsent(HexFormat.of().formatHex(c.root()) + "/" + c.numVars(), k -> new ArrayList<>()).add(i);
        }
        return groups.values().stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray()).toList();
    }
}
