package org.trapline.aggregator.counts;

/**
 * The counts of one site, window and species (or every species): sightings, independent events, animals (the
 * sum of the events' MaxN), distinct individuals, and for a capture session the individuals seen on each
 * occasion and on both.
 */
public record Tally(long sightings, long events, long animals, long individuals, long n1, long n2, long m2) {

    public static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0, 0);

    static Tally ofSightings(long sightings) {
        return new Tally(sightings, 0, 0, 0, 0, 0, 0);
    }

    /** Events starting (or no longer starting) in a window, and the change of their MaxN. */
    static Tally ofEvents(long events, long animals) {
        return new Tally(0, events, animals, 0, 0, 0, 0);
    }

    static Tally ofIndividuals(long individuals, long n1, long n2, long m2) {
        return new Tally(0, 0, 0, individuals, n1, n2, m2);
    }

    Tally plus(Tally t) {
        return new Tally(sightings + t.sightings, events + t.events, animals + t.animals, individuals + t.individuals,
                n1 + t.n1, n2 + t.n2, m2 + t.m2);
    }
}
