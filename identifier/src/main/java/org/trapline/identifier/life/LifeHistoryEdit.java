package org.trapline.identifier.life;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.trapline.identifier.review.ReviewException;
import org.trapline.schema.AgeClass;
import org.trapline.schema.BirthDateKind;
import org.trapline.schema.LifeHistory;
import org.trapline.schema.LifeStatus;
import org.trapline.schema.Sex;

/**
 * A change to some fields of a life history, as a reviewer sends it: a field given is set (JSON null clears
 * it: back to UNKNOWN, ALIVE or nothing), a field left out stays. What goes together follows: an age class
 * without its date was assessed today (UTC), a cleared birth date takes its kind with it, ALIVE has no status
 * date. Whether the result may stand is {@link LifeHistoryRules}' to say.
 */
public final class LifeHistoryEdit {

    /** The fields, by their names in JSON (and in {@link LifeHistory}). */
    public enum Field {
        SEX("sex"), AGE_CLASS("ageClass"), AGE_ASSESSED_ON("ageAssessedOn"), BIRTH_DATE("birthDate"),
        BIRTH_DATE_KIND("birthDateKind"), MOTHER("motherId"), STATUS("status"), STATUS_DATE("statusDate"), MARKS("marks");

        public final String json;

        Field(String json) {
            this.json = json;
        }

        static Field named(String json) {
            return Arrays.stream(values()).filter(f -> f.json.equals(json)).findFirst().orElse(null);
        }
    }

    private final Map<Field, Object> values;

    private LifeHistoryEdit(Map<Field, Object> values) {
        this.values = values;
    }

    /** An edit of one field (tests, tools). */
    public static LifeHistoryEdit of(Field field, Object value) {
        Map<Field, Object> values = new EnumMap<>(Field.class);
        values.put(field, value);
        return new LifeHistoryEdit(values);
    }

    /** This edit and one more field. */
    public LifeHistoryEdit and(Field field, Object value) {
        Map<Field, Object> more = new EnumMap<>(Field.class);
        more.putAll(values);
        more.put(field, value);
        return new LifeHistoryEdit(more);
    }

    /**
     * The edit a JSON object asks for. 400 for a field not in {@code allowed}, a missing {@code required} one, a
     * value of the wrong kind, an unknown symbol or a date not written as 2026-03-14, and for an empty edit.
     */
    public static LifeHistoryEdit fromJson(JsonNode body, Set<Field> allowed, Set<Field> required) throws ReviewException {
        Map<Field, Object> values = new EnumMap<>(Field.class);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            Field field = Field.named(name);
            if (field == null || !allowed.contains(field)) {
                throw new ReviewException(400, "'" + name + "' is not a field here (these are: "
                        + allowed.stream().map(f -> f.json).toList() + ")");
            }
            values.put(field, value(field, body.get(name)));
        }
        for (Field field : required) {
            if (!values.containsKey(field)) {
                throw new ReviewException(400, "'" + field.json + "' is required");
            }
        }
        if (values.isEmpty()) {
            throw new ReviewException(400, "nothing to change: give some of " + allowed.stream().map(f -> f.json).toList());
        }
        return new LifeHistoryEdit(values);
    }

    private static Object value(Field field, JsonNode node) throws ReviewException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ReviewException(400, "'" + field.json + "' is a string (or null to clear it), not " + node);
        }
        String text = node.asText().strip();
        return switch (field) {
            case SEX -> symbol(field, text, Sex.class);
            case AGE_CLASS -> symbol(field, text, AgeClass.class);
            case BIRTH_DATE_KIND -> symbol(field, text, BirthDateKind.class);
            case STATUS -> symbol(field, text, LifeStatus.class);
            case AGE_ASSESSED_ON, BIRTH_DATE, STATUS_DATE -> date(field, text);
            case MOTHER -> {
                if (text.isEmpty()) {
                    throw new ReviewException(400, "'motherId' names an individual (or is null to clear it)");
                }
                yield text;
            }
            case MARKS -> text.isEmpty() ? null : text;
        };
    }

    private static <E extends Enum<E>> E symbol(Field field, String text, Class<E> type) throws ReviewException {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ReviewException(400, "'" + field.json + "' is one of " + Arrays.toString(type.getEnumConstants())
                    + ", not '" + text + "'");
        }
    }

    private static LocalDate date(Field field, String text) throws ReviewException {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ReviewException(400, "'" + field.json + "' is a date such as 2026-03-14, not '" + text + "'");
        }
    }

    /** The life history with this edit made; {@code today} dates an age class given without its date. */
    public LifeHistory applyTo(LifeHistory current, LocalDate today) {
        LifeHistory.Builder history = LifeHistory.newBuilder(current == null ? LifeHistoryRules.unrecorded() : current);
        if (values.containsKey(Field.SEX)) {
            history.setSex(orDefault((Sex) values.get(Field.SEX), Sex.UNKNOWN));
        }
        if (values.containsKey(Field.AGE_CLASS)) {
            AgeClass ageClass = orDefault((AgeClass) values.get(Field.AGE_CLASS), AgeClass.UNKNOWN);
            history.setAgeClass(ageClass);
            if (!values.containsKey(Field.AGE_ASSESSED_ON)) {
                history.setAgeAssessedOn(ageClass == AgeClass.UNKNOWN ? null : today);
            }
        }
        if (values.containsKey(Field.AGE_ASSESSED_ON)) {
            history.setAgeAssessedOn((LocalDate) values.get(Field.AGE_ASSESSED_ON));
        }
        if (values.containsKey(Field.BIRTH_DATE)) {
            history.setBirthDate((LocalDate) values.get(Field.BIRTH_DATE));
            if (values.get(Field.BIRTH_DATE) == null && !values.containsKey(Field.BIRTH_DATE_KIND)) {
                history.setBirthDateKind(BirthDateKind.UNKNOWN);
            }
        }
        if (values.containsKey(Field.BIRTH_DATE_KIND)) {
            history.setBirthDateKind(orDefault((BirthDateKind) values.get(Field.BIRTH_DATE_KIND), BirthDateKind.UNKNOWN));
        }
        if (values.containsKey(Field.MOTHER)) {
            history.setMotherId((String) values.get(Field.MOTHER));
        }
        if (values.containsKey(Field.STATUS)) {
            LifeStatus status = orDefault((LifeStatus) values.get(Field.STATUS), LifeStatus.ALIVE);
            history.setStatus(status);
            if (status == LifeStatus.ALIVE && !values.containsKey(Field.STATUS_DATE)) {
                history.setStatusDate(null);
            }
        }
        if (values.containsKey(Field.STATUS_DATE)) {
            history.setStatusDate((LocalDate) values.get(Field.STATUS_DATE));
        }
        if (values.containsKey(Field.MARKS)) {
            history.setMarks((String) values.get(Field.MARKS));
        }
        return history.build();
    }

    /** What the edit sets, for the update's note: {@code sex FEMALE, motherId cleared}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        values.forEach((field, value) -> parts.add(field.json + (value == null ? " cleared" : " " + value)));
        return String.join(", ", parts);
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
