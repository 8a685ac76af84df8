package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.model.ReaderModel;
import com.onecard.pos.reader.model.ReaderModels;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The emulators on the class path by model name; each must name a model of the reader registry. */
public final class ReaderEmulators {
    private ReaderEmulators() {
    }

    /** Every registered emulator, by the model it emulates. */
    public static Map<String, ReaderEmulator> all() {
        Map<String, ReaderEmulator> m = new TreeMap<>();
        for (ReaderEmulator e : ServiceLoader.load(ReaderEmulator.class)) {
            ReaderEmulator old = m.put(e.model(), e);
            if (old != null) {
                throw new IllegalStateException("two emulators for model '" + e.model() + "': " + old.getClass().getName()
                        + " and " + e.getClass().getName());
            }
        }
        return m;
    }

    /**
     * @throws IllegalArgumentException when {@code model} is not in the reader registry, or has no emulator
     */
    public static ReaderEmulator forModel(String model) {
        List<String> models = ReaderModels.registry().all().stream().map(ReaderModel::name).toList();
        if (ReaderModels.registry().find(model).isEmpty()) {
            throw new IllegalArgumentException("--driver '" + model + "' is not a model of the reader registry ("
                    + String.join(", ", models) + ")");
        }
        ReaderEmulator e = all().get(model);
        if (e == null) {
            throw new IllegalArgumentException("model '" + model + "' has no emulator registered (emulated: "
                    + String.join(", ", all().keySet()) + ")");
        }
        return e;
    }

    /** The usage lines of every emulated model. */
    public static String summaries() {
        StringBuilder b = new StringBuilder();
        all().forEach((name, e) -> b.append(String.format("  --driver %-9s %s%n", name, e.summary())));
        return b.toString();
    }
}
