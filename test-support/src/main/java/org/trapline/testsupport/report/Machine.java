package org.trapline.testsupport.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The machine a report or benchmark ran on, in one line: accuracy of the int8 networks and every speed
 * depend on it (ONNX Runtime picks its int8 kernels by instruction set: AVX2, AVX-512 VNNI and AMX give
 * slightly different arithmetic), so a figure is only quoted with the machine that produced it.
 */
public final class Machine {

    /** The instruction-set extensions that change which kernels ONNX Runtime and OpenCV run. */
    private static final List<String> KERNEL_FLAGS = List.of("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni",
            "amx_int8", "amx_bf16", "asimd", "sve");

    private Machine() {
    }

    /** For example {@code Intel(R) Xeon(R) … (avx2 avx512f avx512_vnni), 2 cores, Linux amd64, Java 25}. */
    public static String describe() {
        Optional<String> cpuinfo = read(Path.of("/proc/cpuinfo"));
        String model = cpuinfo.flatMap(c -> field(c, "model name")).orElse(System.getProperty("os.arch"));
        Set<String> flags = new TreeSet<>();
        cpuinfo.flatMap(c -> field(c, "flags").or(() -> field(c, "Features"))).ifPresent(f -> {
            for (String flag : f.split("\\s+")) {
                if (KERNEL_FLAGS.contains(flag.toLowerCase(Locale.ROOT))) {
                    flags.add(flag);
                }
            }
        });
        return String.format("%s (%s), %d cores, %s %s, Java %s", model, flags.isEmpty() ? "no SIMD flags read" : String.join(" ", flags),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.version().feature());
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }
}
