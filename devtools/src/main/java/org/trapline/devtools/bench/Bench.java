package org.trapline.devtools.bench;

import picocli.CommandLine.Command;

/** {@code trapline bench …}: the benchmarks, each comparing against a baseline in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (each prints a table with a ratio).",
        subcommands = {IngestBenchmark.class, DetectorBenchmark.class, SpeciesBenchmark.class, GalleryBenchmark.class,
                AggregatorBenchmark.class, PipelineBenchmark.class})
public final class Bench {
}
