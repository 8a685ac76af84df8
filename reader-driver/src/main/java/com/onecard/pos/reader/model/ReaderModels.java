package com.onecard.pos.reader.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of reader and scanner models: every {@link ReaderModel} registered through
 * {@link ServiceLoader} on the class path, by name. Read once per class loader; names are
 * unique (two models with one name is a packaging fault, refused when the registry loads).
 */
public final class ReaderModels {
    /** The configuration value for "no device of this kind". */
    public static final String NONE = "none";

    private static final ReaderModels INSTANCE = load(ReaderModels.class.getClassLoader());

    private final Map<String, ReaderModel> byName;

    ReaderModels(List<ReaderModel> models) {
        Map<String, ReaderModel> m = new TreeMap<>();
        for (ReaderModel model : models) {
            String n = model.name();
            if (n == null || !n.matches("[a-z][a-z0-9-]{0,31}") || n.equals(NONE)) {
                throw new IllegalStateException("reader model " + model.getClass().getName() + " has an unusable name '" + n
                        + "' (lower-case letters, digits and '-', not 'none')");
            }
            ReaderModel old = m.put(n, model);
            if (old != null) {
                throw new IllegalStateException("reader model '" + n + "' is registered twice: " + old.getClass().getName()
                        + " and " + model.getClass().getName());
            }
        }
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** The registry of this class path. */
    public static ReaderModels registry() {
        return INSTANCE;
    }

    /** The models registered for {@code loader}, for tests and tools with their own class path. */
    public static ReaderModels load(ClassLoader loader) {
        List<ReaderModel> found = ServiceLoader.load(ReaderModel.class, loader).stream()
                .map(ServiceLoader.Provider::get).map(ReaderModel.class::cast).toList();
        return new ReaderModels(found);
    }

    /** Every model, by name. */
    public List<ReaderModel> all() {
        return List.copyOf(byName.values());
    }

    /** The names of the models with {@code role}, sorted. */
    public List<String> names(ReaderModel.Role role) {
        return byName.values().stream().filter(m -> m.role() == role).map(ReaderModel::name).toList();
    }

    public Optional<ReaderModel> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name.trim().toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * @throws IllegalArgumentException naming the registered card readers when {@code name} is not one
     */
    public CardReaderModel cardReader(String name) {
        if (find(name).orElse(null) instanceof CardReaderModel m) {
            return m;
        }
        throw new IllegalArgumentException("no card reader model '" + name + "' (registered: "
                + String.join(", ", names(ReaderModel.Role.CARD_READER)) + ")");
    }

    /**
     * @throws IllegalArgumentException naming the registered scanners when {@code name} is not one
     */
    public CodeScannerModel codeScanner(String name) {
        if (find(name).orElse(null) instanceof CodeScannerModel m) {
            return m;
        }
        throw new IllegalArgumentException("no code scanner model '" + name + "' (registered: "
                + String.join(", ", names(ReaderModel.Role.CODE_SCANNER)) + ")");
    }
}
