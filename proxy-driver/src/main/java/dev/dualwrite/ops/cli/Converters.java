package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.ReadFlag;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values parsed with the rule model's own parsers, so the command line accepts what the rule file does. */
final class Converters {
    private Converters() {
    }

    static final class DialectConverter implements ITypeConverter<Dialect> {
        @Override
        public Dialect convert(String value) {
            try {
                return Dialect.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ReadFlagConverter implements ITypeConverter<ReadFlag> {
        @Override
        public ReadFlag convert(String value) {
            try {
                return ReadFlag.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PhaseConverter implements ITypeConverter<Phase> {
        @Override
        public Phase convert(String value) {
            try {
                return Phase.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a phase; use expand, migrate, contract or off");
            }
        }
    }
}
