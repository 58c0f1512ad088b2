package org.trapline.aggregator.counts;

import java.time.LocalDate;

import org.trapline.schema.AgeClass;
import org.trapline.schema.BirthDateKind;
import org.trapline.schema.LifeHistory;
import org.trapline.schema.LifeStatus;
import org.trapline.schema.Sex;

/**
 * An individual's {@link LifeHistory} as the aggregator keeps it (JSON in its stores and internal topics):
 * the same fields, read as the gallery has them.
 */
public record LifeHistoryView(Sex sex, AgeClass ageClass, LocalDate ageAssessedOn, LocalDate birthDate,
                              BirthDateKind birthDateKind, String motherId, LifeStatus status, LocalDate statusDate,
                              String marks) {

    /** Null when the gallery records no life history. */
    static LifeHistoryView of(LifeHistory h) {
        return h == null ? null : new LifeHistoryView(h.getSex(), h.getAgeClass(), h.getAgeAssessedOn(), h.getBirthDate(),
                h.getBirthDateKind(), h.getMotherId(), h.getStatus(), h.getStatusDate(), h.getMarks());
    }

    /** The sex recorded, {@code UNKNOWN} when none is. */
    public static Sex sex(LifeHistoryView life) {
        return life == null || life.sex() == null ? Sex.UNKNOWN : life.sex();
    }
}
