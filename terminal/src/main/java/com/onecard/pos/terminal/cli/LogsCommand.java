package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "logs", description = "Logs for support.", subcommands = LogsCommand.Bundle.class)
final class LogsCommand {

    @Command(name = "bundle", description = "A tar.gz of the logs, status and configuration (secrets masked) for support.")
    static final class Bundle implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** --socket, --config and --json, given before or after the command name. */
        private PosCtl.Target target() {
            return PosCtl.target(spec);
        }

        @Option(names = "--out", description = "file to write (default onecard-pos-support-<time>.tar.gz)")
        Path out;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (out != null) {
                Outputs.checkWritable(out, "--out");
            }
            JsonNode status = Daemon.call(target(), "status");
            JsonNode config = Daemon.call(target(), "config-show");
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path file = out != null ? out : Path.of("onecard-pos-support-" + status.path("terminal_id").asText() + "-" + stamp + ".tar.gz");
            Path tmp = Files.createTempDirectory("posctl-bundle");
            try {
                Path dir = Files.createDirectory(tmp.resolve("support"));
                Files.writeString(dir.resolve("status.json"), Daemon.JSON.writeValueAsString(status), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("status.txt"), StatusCommand.render(status), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("config.txt"), config.path("config").asText(), StandardCharsets.UTF_8);
                Path logs = Path.of(status.path("log_dir").asText("/var/log/onecard-pos"));
                int copied = 0;
                if (Files.isDirectory(logs)) {
                    Path ld = Files.createDirectory(dir.resolve("logs"));
                    try (Stream<Path> s = Files.list(logs)) {
                        for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                            Files.copy(p, ld.resolve(p.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                            copied++;
                        }
                    }
                }
                Process tar = new ProcessBuilder("tar", "-czf", file.toAbsolutePath().toString(), "-C", tmp.toString(), "support")
                        .redirectErrorStream(true).start();
                String msg = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (tar.waitFor() != 0) {
                    throw new PosCtl.Refused("tar failed writing " + file + ": " + msg.trim());
                }
                System.out.println("wrote " + file + " (" + copied + " log files from " + logs + ", status, configuration)");
                return 0;
            } finally {
                try (Stream<Path> w = Files.walk(tmp)) {
                    w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
