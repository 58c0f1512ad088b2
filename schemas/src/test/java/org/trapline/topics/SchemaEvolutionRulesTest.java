package org.trapline.topics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Schemas can evolve BACKWARD-compatibly only if their optional parts have defaults: every nullable
 * field, list, map and enum of every topic's schema is checked here, nested records included.
 */
class SchemaEvolutionRulesTest {

    @Test
    void everyOptionalFieldHasADefault() {
        List<String> missing = new ArrayList<>();
        for (Topic<String, ?> topic : Topics.ALL) {
            check(topic.valueSchema(), missing, new HashSet<>());
        }
        assertTrue(missing.isEmpty(), "optional fields without a default: " + missing);
    }

    /**
     * Enums whose readers must never guess: an unknown detection category read as ANIMAL could let a
     * person's image through to identification, so such a record must fail and be dead-lettered.
     */
    static final Set<String> ENUMS_THAT_MUST_NOT_GUESS = Set.of("org.trapline.schema.DetectionCategory",
            // a correction of a kind the reader does not know must not be applied as another kind
            "org.trapline.schema.CorrectionKind");

    @Test
    void everyEnumHasADefaultSymbolForReadersThatMeetANewOne() {
        List<String> missing = new ArrayList<>();
        for (Topic<String, ?> topic : Topics.ALL) {
            enums(topic.valueSchema(), new HashSet<>()).stream()
                    .filter(e -> e.getEnumDefault() == null && !ENUMS_THAT_MUST_NOT_GUESS.contains(e.getFullName()))
                    .forEach(e -> missing.add(e.getFullName()));
        }
        assertTrue(missing.isEmpty(), "enums without a default symbol: " + missing);
    }

    private static void check(Schema record, List<String> missing, Set<String> seen) {
        if (record.getType() != Schema.Type.RECORD || !seen.add(record.getFullName())) {
            return;
        }
        for (Schema.Field field : record.getFields()) {
            Schema type = field.schema();
            boolean optional = (type.isUnion() && type.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL))
                    || type.getType() == Schema.Type.ARRAY || type.getType() == Schema.Type.MAP;
            if (optional && !field.hasDefaultValue()) {
                missing.add(record.getName() + "." + field.name());
            }
            for (Schema nested : nested(type)) {
                check(nested, missing, seen);
            }
        }
    }

    private static List<Schema> nested(Schema type) {
        return switch (type.getType()) {
            case UNION -> type.getTypes().stream().flatMap(t -> nested(t).stream()).toList();
            case ARRAY -> nested(type.getElementType());
            case MAP -> nested(type.getValueType());
            case RECORD, ENUM -> List.of(type);
            default -> List.of();
        };
    }

    private static Set<Schema> enums(Schema schema, Set<String> seen) {
        Set<Schema> found = new HashSet<>();
        if (schema.getType() == Schema.Type.ENUM) {
            found.add(schema);
        } else if (schema.getType() == Schema.Type.RECORD && seen.add(schema.getFullName())) {
            schema.getFields().forEach(f -> nested(f.schema()).forEach(n -> found.addAll(enums(n, seen))));
        }
        return found;
    }
}
