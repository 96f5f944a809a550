package dev.dualwrite.rewrite.internal;

import java.util.Arrays;

/** A growable list of ints, to avoid boxing while collecting parameter numbers. */
public final class IntList {
    private int[] values = new int[8];
    private int size;

    public void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public int size() {
        return size;
    }

    public int get(int i) {
        return values[i];
    }

    public int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
