package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderConfig;
import com.onecard.pos.reader.ReaderListener;
import com.onecard.pos.reader.ReaderStatus;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.loop.ReaderLoop;
import com.onecard.pos.reader.model.CodeScannerModel;
import com.onecard.pos.reader.model.ReaderModel;
import com.onecard.pos.reader.model.ReaderModels;
import com.onecard.pos.terminal.app.Secrets;
import com.onecard.pos.terminal.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

@Command(name = "reader", description = "Card reader and scanner checks.",
        subcommands = {ReaderCommand.Test.class, ReaderCommand.Probe.class, ReaderCommand.Models.class})
final class ReaderCommand {

    @Command(name = "test", description = "Through the daemon: show the reader's firmware, wait for a tap and show the card (no sale).")
    static final class Test implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** --socket, --config and --json, given before or after the command name. */
        private PosCtl.Target target() {
            return PosCtl.target(spec);
        }

        @Option(names = "--timeout", description = "seconds to wait for a tap (default ${DEFAULT-VALUE})", defaultValue = "30")
        int timeout;

        @Override
        public Integer call() {
            JsonNode s = Daemon.call(target(), "status").path("reader");
            if (!target().json) {
                System.out.printf("reader %s %s on %s; tap a card within %d s ...%n", s.path("state").asText(),
                        s.path("firmware").asText(), s.path("port").asText(), timeout);
            }
            JsonNode r = Daemon.call(target(), "reader-test", q -> q.put("timeout_ms", timeout * 1000L));
            if (target().json) {
                Daemon.print(r);
            } else {
                System.out.printf("card %s  %s  ATQA 0x%s SAK 0x%s  campus sector %s%s  %s%s%n", r.path("uid").asText(),
                        r.path("card_type").asText(), r.path("atqa").asText(), r.path("sak").asText(), r.path("campus_read").asText(),
                        r.has("campus_verified") ? " / " + r.path("campus_verified").asText() : "",
                        r.path("known").asBoolean() ? "known account" : "NOT in the account cache",
                        r.path("blacklisted").asBoolean() ? ", BLACKLISTED" : "");
            }
            return 0;
        }
    }

    /** The registry's model names, for --driver's help and shell completion. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ReaderModels.registry().all().stream().map(ReaderModel::name).iterator();
        }
    }

    @Command(name = "models", description = "The reader and scanner models this installation knows (the reader registry): name, role, default baud.")
    static final class Models implements Callable<Integer> {
        @Override
        public Integer call() {
            for (ReaderModel m : ReaderModels.registry().all()) {
                System.out.printf("%-10s %-13s %6d baud  %s%n", m.name(),
                        m.role() == ReaderModel.Role.CARD_READER ? "card reader" : "code scanner", m.defaultBaud(), m.summary());
            }
            return 0;
        }
    }

    @Command(name = "probe", description = "Without the daemon (stop it first: it holds the port): open the port, print the firmware, then one line per tap until Ctrl-C or --taps N.")
    static final class Probe implements Callable<Integer> {
        @Option(names = "--port", required = true, description = "serial port, e.g. /dev/ttyUSB0")
        String port;

        @Option(names = "--driver", completionCandidates = ModelNames.class,
                description = "a model of the reader registry: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}; posctl reader models)",
                defaultValue = "pn532")
        String driver;

        @Option(names = "--baud", description = "baud rate (default: the model's, see posctl reader models)")
        Integer baud;

        @Option(names = "--taps", description = "stop after N taps (default: until Ctrl-C)", defaultValue = "0")
        int taps;


        @Spec
        CommandSpec spec;

        /** From the global --json: one JSON object per line. */
        private boolean json;

        @Override
        public Integer call() throws Exception {
            json = PosCtl.target(spec).json;
            ReaderModel model = ReaderModels.registry().find(driver).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "--driver '" + driver + "' is not a model of the reader registry (" + String.join(", ", new ModelNames()) + ")"));
            int baud = this.baud != null ? this.baud : model.defaultBaud();
            String fw;
            try {
                fw = model.probe(port, baud);
            } catch (IOException e) {
                System.err.println("posctl: " + e.getMessage());
                System.err.println("hint: is the daemon stopped (systemctl stop onecard-pos)? is the cable in? right --port and --baud?");
                return PosCtl.EXIT_REFUSED;
            }
            if (model instanceof CodeScannerModel scanner) {
                return scanner(scanner, fw, baud);
            }
            // the card keys are in the daemon's key token, which a technician's posctl cannot open:
            // without the daemon a probe reads UIDs; "posctl reader test" reads sectors through it
            CampusCard campus = null;
            emit(json ? "{\"port\":\"" + port + "\",\"firmware\":\"" + fw + "\"}" : "reader on " + port + ": " + fw
                    + " (UIDs only: campus sectors are read by the daemon, whose key token holds the card keys;"
                    + " with the daemon running use 'posctl reader test')");
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger seen = new AtomicInteger();
            ReaderLoop loop = new ReaderLoop(new ReaderConfig(model.name(), port, baud, campus), new ReaderListener() {
                @Override
                public void onTap(CardTap tap) {
                    emit(line(tap, campus));
                    if (taps > 0 && seen.incrementAndGet() >= taps) {
                        done.countDown();
                    }
                }

                @Override
                public void onStatus(ReaderStatus s) {
                    if (!json) {
                        System.out.println("reader " + s.state() + (s.lastError().isEmpty() ? "" : ": " + s.lastError()));
                    }
                }
            }, Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(loop::close, "probe-stop"));
            loop.start();
            done.await();
            loop.close();
            return 0;
        }

        private int scanner(CodeScannerModel model, String found, int baud) throws InterruptedException {
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger seen = new AtomicInteger();
            var reader = model.reader(port, baud, code -> {
                emit(json ? "{\"code\":" + Daemon.JSON.getNodeFactory().textNode(code) + "}" : "code " + code);
                if (taps > 0 && seen.incrementAndGet() >= taps) {
                    done.countDown();
                }
            });
            emit(json ? "{\"port\":\"" + port + "\",\"driver\":\"" + model.name() + "\"}" : found
                    + ": scan a code (one line per code)");
            Runtime.getRuntime().addShutdownHook(new Thread(reader::close, "probe-stop"));
            reader.start();
            done.await();
            reader.close();
            return 0;
        }

        private synchronized void emit(String s) {
            System.out.println(s);
            System.out.flush();
        }

        private String line(CardTap tap, CampusCard campus) {
            String verified = "";
            if (campus != null && tap.campusRead() == CardTap.CampusRead.OK) {
                var v = campus.verify(tap.uid(), tap.campusData());
                verified = v.result() + (v.data() == null ? "" : " account " + v.data().accountId() + " serial " + v.data().cardSerial());
            }
            var id = com.onecard.pos.reader.iso14443.CardType.of(tap);
            String type = id.summary();
            if (json) {
                ObjectNode n = Daemon.JSON.createObjectNode();
                n.put("uid", tap.uidHex());
                n.put("type", id.name());
                n.put("atqa", id.atqa());
                n.put("sak", id.sak());
                var candidates = n.putArray("candidates");
                id.candidates().forEach(candidates::add);
                n.put("campus_read", tap.campusRead().name());
                n.put("campus_verified", verified);
                n.put("at", tap.at().toString());
                return n.toString();
            }
            return String.format("tap %s  %s  campus sector %s%s", tap.uidHex(), type, tap.campusRead(),
                    verified.isEmpty() ? "" : ", " + verified);
        }
    }
}
