package org.trapline.aggregator.counts;

/**
 * The counts of one site, window and species (or every species): sightings, independent events,
 * distinct individuals, and for a capture session the individuals seen on each occasion and on both.
 */
public record Tally(long sightings, long events, long individuals, long n1, long n2, long m2) {

    public static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0);

    Tally plus(long sightings, long events, long individuals, long n1, long n2, long m2) {
        return new Tally(this.sightings + sightings, this.events + events, this.individuals + individuals,
                this.n1 + n1, this.n2 + n2, this.m2 + m2);
    }
}
