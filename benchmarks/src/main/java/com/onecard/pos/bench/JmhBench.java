package com.onecard.pos.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JMH micro-benchmarks (package micro), one fork each, average time per operation. The table
 * shows JMH's score as the median column and its 99.9% error in the note; p99 does not apply.
 */
final class JmhBench {
    static final Map<String, String> NAMES = Map.of(
            "Pn532FrameBench.encodeInListPassiveTarget", "jmh_pn532_encode_us",
            "Pn532FrameBench.decodeAckAndTargetResponse", "jmh_pn532_decode_us",
            "EmvPayloadBench.buildWithMac", "jmh_emv_build_us",
            "EmvPayloadBench.parse", "jmh_emv_parse_us",
            "QrRenderBench.encode", "jmh_qr_encode_us",
            "QrRenderBench.encodeAndDraw", "jmh_qr_encode_render_us",
            "AuthorizeBench.decideOffline", "jmh_authorize_decision_us");
    private final boolean quick;

    JmhBench(boolean quick) {
        this.quick = quick;
    }

    void run(Report report) throws Exception {
        Options opt = new OptionsBuilder()
                .include("com\\.onecard\\.pos\\.bench\\.micro\\..*")
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .forks(1)
                .jvmArgsAppend("-Djava.awt.headless=true")
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 500 : 2000))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.milliseconds(quick ? 500 : 2000))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            String key = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            String name = NAMES.getOrDefault(key, "jmh_" + key.replace('.', '_') + "_us");
            var p = r.getPrimaryResult();
            report.add(new Figure(name, p.getScore(), null, "us/op", null, null, null, null,
                    String.format(Locale.ROOT, "JMH avgt +- %.4f (99.9%%), %s", p.getScoreError(), key)));
        }
    }
}
