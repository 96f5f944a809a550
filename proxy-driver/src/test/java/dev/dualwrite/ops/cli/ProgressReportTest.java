package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressReportTest {
    @Test
    void onATerminalTheProgressLineIsRedrawnInPlace() {
        StringWriter text = new StringWriter();
        BackfillFixture.FakeClock clock = new BackfillFixture.FakeClock();
        ProgressReport report = new ProgressReport(new PrintWriter(text), true, 10, clock, "m", 4000L);
        clock.sleep(1000);
        report.batch(1, 1000, 1000, 0.5);
        clock.sleep(1000);
        report.batch(2, 2000, 2000, null);
        report.end();
        assertEquals("\rbackfill m: [#####...............] 1000 rows of ~4000 (25%), ETA 0m03s, 1000 rows/s, batch 1, lag 0.5 s"
                + "\rbackfill m: [##########..........] 2000 rows of ~4000 (50%), ETA 0m02s, 1000 rows/s, batch 2           \n", text.toString());
    }

    @Test
    void withoutATerminalOneLineEveryNBatches() {
        StringWriter text = new StringWriter();
        BackfillFixture.FakeClock clock = new BackfillFixture.FakeClock();
        ProgressReport report = new ProgressReport(new PrintWriter(text), false, 2, clock, "m", null);
        for (int b = 1; b <= 5; b++) {
            clock.sleep(500);
            report.batch(b, b * 100L, b * 100L, null);
        }
        report.end();
        assertEquals("backfill m: 200 rows, 200 rows/s, batch 2\nbackfill m: 400 rows, 200 rows/s, batch 4\n",
                text.toString());
    }
}
