package dev.dualwrite.bench;

import dev.dualwrite.bench.stub.StubDriver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.util.Properties;

/**
 * Heap after a million flood statements ({@link Flood}) through the driver with rules, on the stub
 * driver: the used heap after a full GC, every 100,000 statements. Flat means the rewrite cache stays
 * bounded by weight however many distinct texts pass. Run:
 * {@code java -Xmx256m -cp target/benchmarks.jar dev.dualwrite.bench.FloodHeap [statements]}.
 */
public final class FloodHeap {
    private FloodHeap() {
    }

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        StubDriver.register();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Flood flood = new Flood();
        try (Connection c = Wrapper.DUALWRITE.open(StubDriver.URL, new Properties(), BenchRules.file())) {
            System.out.println("statements\theap_used_after_gc_MB\tseconds");
            long t0 = System.nanoTime();
            for (long i = 1; i <= total; i++) {
                flood.next(c);
                if (i % 100_000 == 0 || i == total) {
                    System.gc();
                    long used = memory.getHeapMemoryUsage().getUsed();
                    System.out.printf("%d\t%.1f\t%.1f%n", i, used / 1048576.0, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
    }
}
