package dev.dualwrite.rules;

import java.util.List;

/** A rule file that cannot be used, with every problem found, each naming file, line and reason. */
public final class RuleFileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** One problem: where it is and what is wrong. */
    public static final class Problem {
        private final String file;
        private final int line;
        private final int column;
        private final String path;
        private final String message;

        public Problem(String file, int line, int column, String path, String message) {
            this.file = file;
            this.line = line;
            this.column = column;
            this.path = path;
            this.message = message;
        }

        public String file() {
            return file;
        }

        /** 1-based line, or 0 when the problem concerns the whole file. */
        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        /** Where in the document, e.g. {@code migrations[0].phase}. */
        public String path() {
            return path;
        }

        public String message() {
            return message;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(file);
            if (line > 0) {
                sb.append(':').append(line);
                if (column > 0) {
                    sb.append(':').append(column);
                }
            }
            sb.append(": ");
            if (path != null && !path.isEmpty()) {
                sb.append(path).append(": ");
            }
            return sb.append(message).toString();
        }
    }

    private final List<Problem> problems;

    public RuleFileException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
