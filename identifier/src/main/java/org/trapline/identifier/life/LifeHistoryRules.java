package org.trapline.identifier.life;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;

import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.review.ReviewException;
import org.trapline.schema.AgeClass;
import org.trapline.schema.BirthDateKind;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.LifeHistory;
import org.trapline.schema.LifeStatus;
import org.trapline.schema.Sex;

/**
 * What an individual's life history may say, given its sightings and its relatives in the gallery; and
 * how two life histories become one when a merge says two individuals were one animal.
 *
 * <p>Dates ({@code ageAssessedOn}, {@code birthDate}, {@code statusDate}) have no time zone, and the identifier
 * does not know the sites' zones (the catalog is ingest's and the aggregator's), so a date is refused only
 * where it is wrong in every time zone: after today in the zone furthest ahead (UTC+14), or a death before
 * the last sighting's date in the zone furthest behind (UTC−12). An edit that is right somewhere on Earth is
 * never refused; one wrong by more than a day always is.
 *
 * <p>The rules, each a 422 for an edit (409 when a merge would break it):
 * <ul>
 *   <li>no date after today;</li>
 *   <li>a death (presumed or confirmed) not before the last sighting, nor before the birth date;</li>
 *   <li>a birth date of kind BORN not after the first sighting;</li>
 *   <li>the mother: a known individual of the same species, not the individual itself nor any of its young's
 *   young, not MALE, and born before her young when both birth dates are known;</li>
 *   <li>and the same the other way round: an individual that is some individual's mother cannot become MALE
 *   or be born after that young.</li>
 * </ul>
 */
public final class LifeHistoryRules {

    /** The zone furthest ahead of UTC: no place on Earth has reached a later date. */
    static final ZoneOffset FURTHEST_AHEAD = ZoneOffset.ofHours(14);
    /** The zone furthest behind UTC: the earliest date an instant has anywhere. */
    static final ZoneOffset FURTHEST_BEHIND = ZoneOffset.ofHours(-12);

    private final Gallery gallery;
    private final Clock clock;

    public LifeHistoryRules(Gallery gallery, Clock clock) {
        this.gallery = gallery;
        this.clock = clock;
    }

    /** A life history nothing has been recorded in: sex and age unknown, alive. */
    public static LifeHistory unrecorded() {
        return LifeHistory.newBuilder().build();
    }

    /** The earliest calendar date an instant has anywhere on Earth. */
    public static LocalDate earliestDate(Instant time) {
        return LocalDate.ofInstant(time, FURTHEST_BEHIND);
    }

    /** The latest calendar date an instant has anywhere on Earth. */
    public static LocalDate latestDate(Instant time) {
        return LocalDate.ofInstant(time, FURTHEST_AHEAD);
    }

    /** Today's date where it is latest: no edit may date anything after it. */
    public LocalDate today() {
        return latestDate(clock.instant());
    }

    /**
     * The life history once the individual is seen at {@code time}: one presumed dead before that day is
     * alive after all (a confirmed death stays: a person recorded it, and a person must correct it).
     */
    public static LifeHistory seenOn(LifeHistory history, Instant time) {
        if (history == null || history.getStatus() != LifeStatus.PRESUMED_DEAD || history.getStatusDate() == null
                || !history.getStatusDate().isBefore(earliestDate(time))) {
            return history;
        }
        return LifeHistory.newBuilder(history).setStatus(LifeStatus.ALIVE).setStatusDate(null).build();
    }

    /**
     * Checks an individual's state against every rule; {@code changed} holds the other states the same change
     * writes (a merge rewrites the young of the absorbed individual), which stand in for the gallery's.
     *
     * @param refusal the status a broken rule answers with: 422 for an edit, 409 for a merge
     */
    public void check(IndividualUpdate individual, Map<String, IndividualUpdate> changed, int refusal) throws ReviewException {
        LifeHistory history = individual.getLifeHistory();
        if (history == null) {
            history = unrecorded();
        }
        String id = individual.getIndividualId();
        checkShape(history);
        LocalDate today = today();
        for (var dated : List.of(Map.entry("ageAssessedOn", Optional.ofNullable(history.getAgeAssessedOn())),
                Map.entry("birthDate", Optional.ofNullable(history.getBirthDate())),
                Map.entry("statusDate", Optional.ofNullable(history.getStatusDate())))) {
            if (dated.getValue().isPresent() && dated.getValue().get().isAfter(today)) {
                throw new ReviewException(refusal, dated.getKey() + " " + dated.getValue().get() + " of " + id
                        + " is in the future: today is " + today + " at the latest anywhere on Earth");
            }
        }
        if (history.getStatus() != LifeStatus.ALIVE) {
            LocalDate death = history.getStatusDate();
            if (individual.getLastSeen() != null && death.isBefore(earliestDate(individual.getLastSeen()))) {
                throw new ReviewException(refusal, describeStatus(history) + " is before " + id + "'s last sighting, "
                        + individual.getLastSeen() + " (" + earliestDate(individual.getLastSeen())
                        + " at the earliest anywhere on Earth)");
            }
            if (history.getBirthDate() != null && death.isBefore(history.getBirthDate())) {
                throw new ReviewException(refusal, describeStatus(history) + " is before " + id + "'s birth date, "
                        + history.getBirthDate());
            }
        }
        if (history.getBirthDateKind() == BirthDateKind.BORN && individual.getFirstSeen() != null
                && history.getBirthDate().isAfter(latestDate(individual.getFirstSeen()))) {
            throw new ReviewException(refusal, id + " cannot be born on " + history.getBirthDate()
                    + ": it was first seen before, on " + individual.getFirstSeen());
        }
        if (history.getMotherId() != null) {
            checkMother(individual, history, changed, refusal);
        }
        for (IndividualUpdate young : young(id, changed)) {
            checkMotherOf(young, individual, refusal);
        }
    }

    /** Fields that only make sense together: a birth date and its kind, a death and its date. */
    private static void checkShape(LifeHistory history) throws ReviewException {
        if ((history.getBirthDate() == null) != (history.getBirthDateKind() == BirthDateKind.UNKNOWN)) {
            throw new ReviewException(400, history.getBirthDate() == null
                    ? "birthDateKind " + history.getBirthDateKind() + " needs a birthDate"
                    : "birthDate " + history.getBirthDate() + " needs a birthDateKind: BORN or FIRST_SEEN_YOUNG");
        }
        if ((history.getStatusDate() == null) != (history.getStatus() == LifeStatus.ALIVE)) {
            throw new ReviewException(400, history.getStatus() == LifeStatus.ALIVE
                    ? "statusDate is for PRESUMED_DEAD (since when) or CONFIRMED_DEAD (the date of death), not ALIVE"
                    : history.getStatus() + " needs a statusDate");
        }
    }

    private void checkMother(IndividualUpdate young, LifeHistory history, Map<String, IndividualUpdate> changed,
                             int refusal) throws ReviewException {
        String motherId = history.getMotherId();
        if (motherId.equals(young.getIndividualId())) {
            throw new ReviewException(refusal, young.getIndividualId() + " cannot be its own mother");
        }
        IndividualUpdate mother = lookup(motherId, changed).orElseThrow(() -> new ReviewException(
                refusal, "mother '" + motherId + "' is not a known individual"));
        if (mother.getStatus() == IndividualStatus.MERGED) {
            throw new ReviewException(refusal, "mother '" + motherId + "' was merged into '" + mother.getMergedInto()
                    + "': name that one");
        }
        if (!mother.getSpecies().equals(young.getSpecies())) {
            throw new ReviewException(refusal, "mother '" + motherId + "' is a " + mother.getSpecies() + ", "
                    + young.getIndividualId() + " a " + young.getSpecies());
        }
        checkMotherOf(young, mother, refusal);
        // no individual among its own ancestors: follow the maternal line up from the mother
        SequencedSet<String> line = new LinkedHashSet<>();
        Optional<IndividualUpdate> ancestor = Optional.of(mother);
        while (ancestor.isPresent() && line.add(ancestor.get().getIndividualId())) {
            LifeHistory ancestry = ancestor.get().getLifeHistory();
            String next = ancestry == null ? null : ancestry.getMotherId();
            if (young.getIndividualId().equals(next)) {
                throw new ReviewException(refusal, young.getIndividualId() + " cannot be the young of '" + motherId
                        + "': it is one of her ancestors (" + young.getIndividualId() + " → " + String.join(" → ", line.reversed())
                        + ", each the mother of the next)");
            }
            ancestor = next == null ? Optional.empty() : lookup(next, changed);
        }
    }

    /** What a mother must be to her young: not male, and born before it. */
    private static void checkMotherOf(IndividualUpdate young, IndividualUpdate mother, int refusal) throws ReviewException {
        LifeHistory hers = mother.getLifeHistory() == null ? unrecorded() : mother.getLifeHistory();
        LifeHistory its = young.getLifeHistory() == null ? unrecorded() : young.getLifeHistory();
        if (hers.getSex() == Sex.MALE) {
            throw new ReviewException(refusal, mother.getIndividualId() + " is MALE and cannot be the mother of "
                    + young.getIndividualId());
        }
        if (hers.getBirthDate() != null && its.getBirthDate() != null && !hers.getBirthDate().isBefore(its.getBirthDate())) {
            throw new ReviewException(refusal, "mother " + mother.getIndividualId() + " (" + describeBirth(hers)
                    + ") is not born before her young " + young.getIndividualId() + " (" + describeBirth(its) + ")");
        }
    }

    /** The live or retired individuals whose mother this one is, as the change would leave them. */
    private List<IndividualUpdate> young(String motherId, Map<String, IndividualUpdate> changed) {
        List<IndividualUpdate> young = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (IndividualUpdate state : changed.values()) {
            seen.add(state.getIndividualId());
            if (isYoungOf(state, motherId)) {
                young.add(state);
            }
        }
        for (IndividualUpdate state : gallery.all()) {
            if (!seen.contains(state.getIndividualId()) && isYoungOf(state, motherId)) {
                young.add(state);
            }
        }
        return young;
    }

    /** The individuals whose mother this one is, in the gallery as it stands. */
    public List<IndividualUpdate> young(String motherId) {
        return young(motherId, Map.of());
    }

    private static boolean isYoungOf(IndividualUpdate state, String motherId) {
        return state.getStatus() != IndividualStatus.MERGED && state.getLifeHistory() != null
                && motherId.equals(state.getLifeHistory().getMotherId());
    }

    private Optional<IndividualUpdate> lookup(String id, Map<String, IndividualUpdate> changed) {
        return Optional.ofNullable(changed.get(id)).or(() -> gallery.get(id));
    }

    /**
     * The life history of the animal two individuals turn out to be. Sex: the one the request names, else
     * the known one; two different known sexes without a word from the request are a 409. Age class: the
     * later assessment. Birth: an exact date (BORN) over a date first seen young, the earlier of two such, the
     * survivor's of two exact ones. Mother: the survivor's, else the absorbed one's. Status: the graver
     * (confirmed over presumed dead over alive), the survivor's on a tie; a presumed death before the merged
     * last sighting is undone. Marks: both texts. Null when neither recorded anything and no sex is named.
     */
    public static LifeHistory merged(IndividualUpdate survivor, IndividualUpdate absorbed, Sex sexNamed,
                                     Instant lastSeen) throws ReviewException {
        LifeHistory s = survivor.getLifeHistory();
        LifeHistory a = absorbed.getLifeHistory();
        if (s == null && a == null && sexNamed == null) {
            return null;
        }
        s = s == null ? unrecorded() : s;
        a = a == null ? unrecorded() : a;
        Sex sex = sexNamed;
        if (sex == null) {
            if (s.getSex() != Sex.UNKNOWN && a.getSex() != Sex.UNKNOWN && s.getSex() != a.getSex()) {
                throw new ReviewException(409, survivor.getIndividualId() + " is " + s.getSex() + " and "
                        + absorbed.getIndividualId() + " is " + a.getSex() + ": say which sex the merged individual is"
                        + " (sex=FEMALE or sex=MALE)");
            }
            sex = s.getSex() != Sex.UNKNOWN ? s.getSex() : a.getSex();
        }
        LifeHistory.Builder merged = LifeHistory.newBuilder(s).setSex(sex);
        LifeHistory age = laterAssessment(s, a);
        merged.setAgeClass(age.getAgeClass()).setAgeAssessedOn(age.getAgeAssessedOn());
        LifeHistory birth = betterBirth(s, a);
        merged.setBirthDate(birth.getBirthDate()).setBirthDateKind(birth.getBirthDateKind());
        merged.setMotherId(s.getMotherId() != null ? s.getMotherId() : a.getMotherId());
        LifeHistory status = a.getStatus().ordinal() > s.getStatus().ordinal() ? a : s;
        merged.setStatus(status.getStatus()).setStatusDate(status.getStatusDate());
        Set<String> marks = new LinkedHashSet<>();
        for (String text : new String[] {s.getMarks(), a.getMarks()}) {
            if (text != null && !text.isBlank()) {
                marks.add(text.strip());
            }
        }
        merged.setMarks(marks.isEmpty() ? null : String.join("; ", marks));
        LifeHistory result = merged.build();
        return lastSeen == null ? result : seenOn(result, lastSeen);
    }

    private static LifeHistory laterAssessment(LifeHistory s, LifeHistory a) {
        if (a.getAgeAssessedOn() == null || a.getAgeClass() == AgeClass.UNKNOWN) {
            return s;
        }
        if (s.getAgeAssessedOn() == null || s.getAgeClass() == AgeClass.UNKNOWN) {
            return a;
        }
        return a.getAgeAssessedOn().isAfter(s.getAgeAssessedOn()) ? a : s;
    }

    private static LifeHistory betterBirth(LifeHistory s, LifeHistory a) {
        if (a.getBirthDate() == null) {
            return s;
        }
        if (s.getBirthDate() == null) {
            return a;
        }
        if (s.getBirthDateKind() != a.getBirthDateKind()) {
            return s.getBirthDateKind() == BirthDateKind.BORN ? s : a;
        }
        return s.getBirthDateKind() == BirthDateKind.FIRST_SEEN_YOUNG && a.getBirthDate().isBefore(s.getBirthDate()) ? a : s;
    }

    static String describeBirth(LifeHistory history) {
        return history.getBirthDate() == null ? "birth date unknown"
                : (history.getBirthDateKind() == BirthDateKind.BORN ? "born " : "first seen young ") + history.getBirthDate();
    }

    static String describeStatus(LifeHistory history) {
        return switch (history.getStatus()) {
            case ALIVE -> "alive";
            case PRESUMED_DEAD -> "presumed dead since " + history.getStatusDate();
            case CONFIRMED_DEAD -> "a death on " + history.getStatusDate();
        };
    }
}
