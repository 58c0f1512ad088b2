package org.trapline.detector.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.trapline.schema.DetectionCategory;

/**
 * A model's class names, and which of MegaDetector's categories each falls in. MegaDetector's own
 * classes are the categories; for a COCO model, its animal classes are animals (the class name kept as
 * a species hint), person is a person, road vehicles are vehicles, and any other class (a chair, a kite)
 * is no detection at all.
 */
public final class LabelMap {

    static final Set<String> COCO_ANIMALS = Set.of("bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear",
            "zebra", "giraffe");
    static final Set<String> COCO_VEHICLES = Set.of("bicycle", "car", "motorcycle", "bus", "truck");

    private final List<String> names;
    private final Map<Integer, DetectionCategory> categories;

    private LabelMap(List<String> names, Map<Integer, DetectionCategory> categories) {
        this.names = List.copyOf(names);
        this.categories = Map.copyOf(categories);
    }

    /**
     * Class names from a file, one a line (line i names class i), with their categories: the built-in
     * mapping, then {@code overrides} (label → animal | person | vehicle | none) on top.
     */
    public static LabelMap fromFile(Path file, Map<String, String> overrides) throws IOException {
        List<String> names = Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
        return of(names, overrides);
    }

    /** MegaDetector v5's classes: 0 animal, 1 person, 2 vehicle. */
    public static LabelMap megadetector() {
        return of(List.of("animal", "person", "vehicle"), Map.of());
    }

    public static LabelMap of(List<String> names, Map<String, String> overrides) {
        Map<Integer, DetectionCategory> categories = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).toLowerCase(Locale.ROOT);
            Optional<DetectionCategory> category = Optional.ofNullable(overrides.get(name))
                    .map(LabelMap::parse)
                    .orElseGet(() -> builtIn(name));
            int index = i;
            category.ifPresent(c -> categories.put(index, c));
        }
        return new LabelMap(names, categories);
    }

    private static Optional<DetectionCategory> builtIn(String name) {
        if (name.equals("animal") || COCO_ANIMALS.contains(name)) {
            return Optional.of(DetectionCategory.ANIMAL);
        }
        if (name.equals("person")) {
            return Optional.of(DetectionCategory.PERSON);
        }
        if (name.equals("vehicle") || COCO_VEHICLES.contains(name)) {
            return Optional.of(DetectionCategory.VEHICLE);
        }
        return Optional.empty();
    }

    private static Optional<DetectionCategory> parse(String value) {
        return value.equalsIgnoreCase("none") ? Optional.empty()
                : Optional.of(DetectionCategory.valueOf(value.toUpperCase(Locale.ROOT)));
    }

    public int size() {
        return names.size();
    }

    public String label(int classIndex) {
        return names.get(classIndex);
    }

    public Optional<DetectionCategory> category(int classIndex) {
        return Optional.ofNullable(categories.get(classIndex));
    }
}
