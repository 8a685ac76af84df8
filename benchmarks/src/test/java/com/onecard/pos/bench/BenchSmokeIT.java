package com.onecard.pos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness runs end to end with tiny counts and writes the JSON the dashboards read. Checks
 * keys and shape only: timings never go into assertions.
 */
class BenchSmokeIT {
    @TempDir
    Path tmp;

    @Test
    void quickPathsWriteTheExpectedKeys() throws Exception {
        BenchMain.Options o = BenchMain.Options.parse("--smoke", "--only", "store,qr,reader,tap,qrpaid,app",
                "--root", Path.of("..").toAbsolutePath().normalize().toString(), "--work", tmp.resolve("work").toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Report report = BenchMain.run(o, new PrintStream(log, true, StandardCharsets.UTF_8));
        Path json = tmp.resolve("bench.json");
        report.writeJson(json);

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.fieldNames()).toIterable().as(log.toString(StandardCharsets.UTF_8))
                .contains("sqlite_insert_commit_ms", "authorize_commit_ms", "authorize_commit_2k_ms",
                        "qr_build_render_ms", "driver_tap_to_uid_ms", "driver_open_to_uid_ms", "libnfc_list_14443a_ms",
                        "tap_to_decision_ms", "tap_to_decision_2k_ms", "tap_to_decision_daemon_2k_ms",
                        "tap_during_selftest_2k_ms", "tap_during_account_updates_2k_ms", "tap_to_decision_offline_2k_ms",
                        "qr_paid_to_approved_ms", "app_login_sms_code_ms", "app_balance_ms",
                        "app_bills_page_ms", "app_topup_order_ms", "app_topup_notification_ms")
                .noneMatch(k -> k.endsWith("_failed"));
        for (String k : new String[]{"authorize_commit_ms", "qr_build_render_ms", "driver_tap_to_uid_ms", "qr_paid_to_approved_ms"}) {
            assertThat(root.get(k).has("median")).isTrue();
            assertThat(root.get(k).get("median").isNumber()).as(k).isTrue();
            assertThat(root.get(k).has("p99")).as(k).isTrue();
            assertThat(root.get(k).get("unit").asText()).isEqualTo("ms");
        }
        assertThat(root.get("authorize_commit_ms").has("baseline")).isTrue();
        assertThat(root.get("authorize_commit_ms").has("ratio")).isTrue();
        assertThat(root.get("authorize_commit_ms").has("budget")).isTrue();
        assertThat(root.get("authorize_commit_ms").get("note").asText()).contains("daemon's flags");
        assertThat(root.get("tap_during_selftest_2k_ms").has("ratio")).isTrue();
        assertThat(root.get("driver_open_to_uid_ms").has("ratio")).isTrue();
    }
}
