package org.trapline.devtools;

import java.util.LinkedHashMap;
import java.util.Map;

import org.trapline.deploy.Trapline;
import org.trapline.devtools.bench.Bench;
import picocli.CommandLine;

/**
 * The {@code trapline} command of a checkout ({@code ./trapline}): the services' commands, as the service image
 * has them, and the developer's beside them: {@code run} (the main job, on the local stack) and {@code bench}
 * (the benchmarks). These two live here, not in deploy, because they need a broker and a registry run as
 * processes, which the service image does not carry.
 */
public final class DevTrapline {

    private DevTrapline() {
    }

    /** The service commands with {@code run} before them and {@code bench} after, where --help has always listed them. */
    public static CommandLine commandLine() {
        CommandLine cli = Trapline.commandLine();
        Map<String, CommandLine> services = new LinkedHashMap<>(cli.getSubcommands());
        services.keySet().forEach(cli.getCommandSpec()::removeSubcommand);
        cli.addSubcommand(new RunCommand());
        services.forEach(cli::addSubcommand);
        return cli.addSubcommand(new Bench());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
