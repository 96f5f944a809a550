package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.ReadFlag;
import java.util.ArrayList;
import java.util.List;

/**
 * What a flip changes in one migration, and why it may be unsafe. The order is expand, migrate,
 * contract: a step may go forward one phase, migrate may go back to expand, and any phase may be
 * switched off; everything else needs {@code --force}.
 */
final class FlipPlan {
    final Phase fromPhase;
    final Phase toPhase;
    /** The reads value to write, or null to leave the reads: line as it is. */
    final ReadFlag writeReads;
    /** True when the existing reads: line would contradict the new phase and is removed. */
    final boolean removeReads;

    private FlipPlan(Phase fromPhase, Phase toPhase, ReadFlag writeReads, boolean removeReads) {
        this.fromPhase = fromPhase;
        this.toPhase = toPhase;
        this.writeReads = writeReads;
        this.removeReads = removeReads;
    }

    static FlipPlan of(Migration m, Phase phase, ReadFlag reads, boolean hasReadsLine) {
        Phase to = phase == null ? m.phase() : phase;
        boolean remove = reads == null && hasReadsLine && contradicts(to, m.reads());
        return new FlipPlan(m.phase(), to, reads, remove);
    }

    /** The step a whole new document takes for one migration: from {@code from} to {@code after}'s phase and reads. */
    static FlipPlan step(Phase from, Migration after) {
        return new FlipPlan(from, after.phase(), after.reads(), false);
    }

    /** True when the file would be invalid with this reads value in this phase (contract section 4.1). */
    private static boolean contradicts(Phase phase, ReadFlag reads) {
        return (phase == Phase.EXPAND && reads.kind() != ReadFlag.Kind.OLD)
                || (phase == Phase.CONTRACT && reads.kind() != ReadFlag.Kind.NEW);
    }

    /** Why this flip is unsafe, each reason with what to do instead; empty when it is a normal step. */
    List<String> unsafe(String id) {
        List<String> out = new ArrayList<>();
        if (writeReads != null && toPhase != Phase.MIGRATE && writeReads.kind() != ReadFlag.Kind.OLD
                && !(toPhase == Phase.CONTRACT && writeReads.kind() == ReadFlag.Kind.NEW)) {
            out.add("reads " + writeReads + " is only used in phase migrate, and " + id + " would be in phase "
                    + toPhase.yamlName() + "; flip --phase migrate --reads " + writeReads + " instead");
        }
        if (fromPhase == Phase.CONTRACT && (toPhase == Phase.EXPAND || toPhase == Phase.MIGRATE)) {
            out.add("going back from contract to " + toPhase.yamlName() + " would read and write the old side, which"
                    + " nothing has written since contract began and which may already be dropped");
        } else if (fromPhase == Phase.EXPAND && toPhase == Phase.CONTRACT) {
            out.add("contract right after expand skips migrate: reads have never come from the new side; flip"
                    + " --phase migrate --reads new first and check it with status");
        } else if (fromPhase == Phase.OFF && (toPhase == Phase.MIGRATE || toPhase == Phase.CONTRACT)) {
            out.add(toPhase.yamlName() + " right after off skips expand: nothing has written the new side yet;"
                    + " flip --phase expand first, then backfill");
        }
        return out;
    }
}
