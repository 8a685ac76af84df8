package com.onecard.pos.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collects figures; prints the table and writes the JSON object keyed by figure name. */
public final class Report {
    private final List<Figure> figures = new ArrayList<>();

    public synchronized void add(Figure f) {
        figures.add(f);
    }

    /** Replaces the figure named {@code name} (if there is one) by {@code change} applied to it. */
    public synchronized void replace(String name, java.util.function.UnaryOperator<Figure> change) {
        figures.replaceAll(f -> f.name().equals(name) ? change.apply(f) : f);
    }

    public synchronized List<Figure> figures() {
        return List.copyOf(figures);
    }

    public synchronized void printTable(PrintStream out) {
        String fmt = "| %-34s | %10s | %10s | %-7s | %10s | %7s | %-12s | %s%n";
        out.printf(Locale.ROOT, fmt, "figure", "median", "p99", "unit", "baseline", "ratio", "budget", "note");
        out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%s|---%n", "-".repeat(36), "-".repeat(12), "-".repeat(12), "-".repeat(9),
                "-".repeat(12), "-".repeat(9), "-".repeat(14));
        for (Figure f : figures) {
            out.printf(Locale.ROOT, fmt, f.name(), num(f.median()), num(f.p99()), f.unit(), num(f.baseline()),
                    f.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", f.ratio()),
                    f.budget() == null ? "" : f.budget(), f.note() == null ? "" : f.note());
        }
    }

    static String num(Double d) {
        if (d == null) {
            return "";
        }
        double a = Math.abs(d);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", d);
        }
        return String.format(Locale.ROOT, "%.4f", d);
    }

    public synchronized void writeJson(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        for (Figure f : figures) {
            ObjectNode n = root.putObject(f.name());
            n.put("median", f.median());
            n.put("unit", f.unit());
            if (f.p99() != null) {
                n.put("p99", f.p99());
            }
            if (f.baseline() != null) {
                n.put("baseline", f.baseline());
            }
            if (f.ratio() != null) {
                n.put("ratio", f.ratio());
            }
            if (f.budget() != null) {
                n.put("budget", f.budget());
            }
            if (f.samples() != null) {
                n.put("samples", f.samples());
            }
            if (f.note() != null) {
                n.put("note", f.note());
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        m.writeValue(file.toFile(), root);
    }
}
