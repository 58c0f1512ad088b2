package org.trapline.identifier.http.view;

import org.trapline.identifier.life.LifeHistoryRules;
import org.trapline.schema.LifeHistory;

/** A life history, the unrecorded one as its defaults (sex and age UNKNOWN, ALIVE) with {@code recorded} false. */
public record LifeHistoryView(boolean recorded, String sex, String ageClass, String ageAssessedOn, String birthDate,
                              String birthDateKind, String motherId, String status, String statusDate, String marks) {

    public static LifeHistoryView of(LifeHistory recorded) {
        LifeHistory history = recorded == null ? LifeHistoryRules.unrecorded() : recorded;
        return new LifeHistoryView(recorded != null, history.getSex().name(), history.getAgeClass().name(),
                IndividualView.text(history.getAgeAssessedOn()), IndividualView.text(history.getBirthDate()),
                history.getBirthDateKind().name(), history.getMotherId(), history.getStatus().name(),
                IndividualView.text(history.getStatusDate()), history.getMarks());
    }
}
