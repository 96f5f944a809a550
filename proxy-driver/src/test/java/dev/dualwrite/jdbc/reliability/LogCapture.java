package dev.dualwrite.jdbc.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Everything the driver logs (java.util.logging, which System.Logger uses here) at every level while it is
 * open, formatted with parameters and stack traces, so a test can grep it.
 */
final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level level;
    private final List<String> lines = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            StringBuilder sb = new StringBuilder(r.getLoggerName()).append(' ').append(r.getLevel()).append(' ');
            String msg = r.getMessage();
            if (msg != null && r.getParameters() != null && r.getParameters().length > 0) {
                msg = MessageFormat.format(msg, r.getParameters());
            }
            sb.append(msg);
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                sb.append('\n').append(trace);
            }
            synchronized (lines) {
                lines.add(sb.toString());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        level = logger.getLevel();
        handler.setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(level);
    }
}
