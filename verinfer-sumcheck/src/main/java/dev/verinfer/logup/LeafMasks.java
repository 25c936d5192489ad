package dev.verinfer.logup;

import dev.verinfer.sumcheck.VanishingMask;

import java.util.List;

/**
 * The caller's masks of a zero-knowledge LogUp's leaf claims: every looked-up column, selector and
 * multiplicity vector is a committed (or committed-to-be) tensor T entering as T' = T̃ + Z·R
 * ({@link VanishingMask}), so the leaf evaluations the proof sends are T'(point), uniform. The caller
 * owns (and commits, hiding) each R: the claims LogUp returns are then claims on T', and the caller's
 * commitment opens R's part of the leaf check ({@link GkrMaskCommitter#openLeafOffset}).
 *
 * <p>{@code groups.get(g)}: one mask per column of group g, then one for its selector if it has one;
 * {@code multiplicities.get(k)}: table k's. The tables' columns are public and stay unmasked. Every
 * block must have at least one variable (a table or group of one row cannot be masked off the hypercube).
 */
public record LeafMasks(List<VanishingMask[]> groups, List<VanishingMask> multiplicities) {
    public LeafMasks {
        groups = groups.stream().map(VanishingMask[]::clone).toList();
        multiplicities = List.copyOf(multiplicities);
    }

    @Override
    public List<VanishingMask[]> groups() {
        return groups.stream().map(VanishingMask[]::clone).toList();
    }

    /** Checks that the masks fit {@code shape}, one line naming the first misfit. */
    void check(LogUpShape shape) {
        if (groups.size() != shape.groups().size() || multiplicities.size() != shape.tables().size()) {
            throw new IllegalArgumentException("leaf masks for " + groups.size() + " groups and " + multiplicities.size() + " tables, the statement has "
                    + shape.groups().size() + " and " + shape.tables().size());
        }
        for (int b = 0; b < shape.numBlocks(); b++) {
            if (shape.blockVars(b) == 0) {
                throw new IllegalArgumentException("zero-knowledge look-ups need every group and table to have at least two rows; block " + b + " has one");
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            int expected = shape.blockColumns(g) + (shape.groups().get(g).hasSelector() ? 1 : 0);
            if (groups.get(g).length != expected) {
                throw new IllegalArgumentException("group " + g + " has " + groups.get(g).length + " leaf masks, " + expected + " expected");
            }
        }
    }
}
