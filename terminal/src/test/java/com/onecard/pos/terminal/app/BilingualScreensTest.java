package com.onecard.pos.terminal.app;

import com.onecard.pos.display.AnsiRenderer;
import com.onecard.pos.display.PngRenderer;
import com.onecard.pos.display.Screen;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.config.MealPeriod;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalTime;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the daemon's screens say to the student is bilingual, Chinese first (issue 17): every
 * decline reason, and the idle hints; rendered, the Chinese line comes before the English one.
 */
class BilingualScreensTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    @TempDir
    Path dir;
    Store store;
    Display display;
    Screens screens;
    final AnsiRenderer text = new AnsiRenderer(System.out);

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("t.db"), SECRET);
        display = new Display(new PngRenderer(dir.resolve("screen.png")));
        var cfg = TestConfigs.config(dir);
        screens = new Screens(display, store, null, () -> cfg, Clock.systemDefaultZone(), () -> null);
    }

    @AfterEach
    void close() throws Exception {
        display.close();
        store.close();
    }

    static boolean hasChinese(String s) {
        return s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    List<String> shownLines() {
        return text.toText(display.current()).lines().toList();
    }

    @Test
    void everyDeclineReasonSaysItInChineseFirstThenEnglish() {
        for (DeclineReason r : DeclineReason.values()) {
            assertThat(hasChinese(r.chinese())).as("%s in Chinese", r).isTrue();
            assertThat(hasChinese(r.english())).as("%s in English", r).isFalse();
            assertThat(r.english()).as("%s in English", r).isNotBlank();
            assertThat(r.message()).isEqualTo(r.chinese() + " / " + r.english());
        }
    }

    @Test
    void aDeclineOnTheScreenShowsTheChineseLineThenTheEnglishLine() {
        screens.declined(DeclineReason.INSUFFICIENT_FUNDS.message(), 0);
        assertThat(display.current()).isInstanceOf(Screen.Declined.class);
        List<String> lines = shownLines();
        int zh = lines.indexOf("余额不足，请充值");
        assertThat(zh).as("%s", lines).isPositive();
        assertThat(lines.get(zh + 1)).isEqualTo("balance too low, please top up");
    }

    @Test
    void theIdleHintsAreBilingualToo() {
        screens.idle(null);
        List<String> lines = shownLines();
        assertThat(lines.get(lines.size() - 2)).isEqualTo("请等候收银员");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("please wait for the cashier");
        screens.idle(new MealPeriod("午餐", LocalTime.of(11, 0), LocalTime.of(13, 0), 1200, 1));
        lines = shownLines();
        assertThat(lines.get(lines.size() - 2)).isEqualTo("午餐 ¥12.00：请刷卡");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("tap card");
    }
}
