package dev.dualwrite.ops.cli;

/** Time as the backfill sees it: the system's, or a test's that does not really wait. */
interface Clock {
    Clock SYSTEM = new Clock() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }
    };

    long nanos();

    void sleep(long millis) throws InterruptedException;
}
