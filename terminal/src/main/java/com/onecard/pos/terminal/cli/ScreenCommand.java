package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;

@Command(name = "screen", description = "Save what the customer display shows now as a PNG.")
final class ScreenCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Option(names = "--out", required = true, description = "PNG file to write")
    Path out;

    @Override
    public Integer call() throws IOException {
        Outputs.checkWritable(out, "--out");
        JsonNode r = Daemon.call(target(), "screen");
        Files.write(out, Base64.getDecoder().decode(r.path("png_base64").asText()));
        if (target().json) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) r).remove("png_base64");
            Daemon.print(r);
        } else {
            System.out.println("wrote " + out + ": " + r.path("text").asText().replace('\n', ' ').trim());
        }
        return 0;
    }
}
