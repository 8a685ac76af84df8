package com.onecard.pos.center.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium at phone size (390 × 844 CSS pixels), driven by Debian's
 * chromium-driver through Selenium: no driver or browser is downloaded (both paths are given,
 * so Selenium Manager never runs). The driver's log goes to a file under the test log folder.
 * Screenshots go to {@code -Donecard.app.screenshots=DIR} when set (docs/app/ is made that way),
 * else to {@code target/app-screens}.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    public final ChromeDriver driver;
    private final Path screens;

    /** True when Debian's chromium and chromium-driver are installed (the browser tests need both). */
    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Why the browser tests are skipped: named, so a skip is never silent. */
    public static String missing() {
        return "the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "); install them: apt-get install chromium chromium-driver";
    }

    /** A phone-sized headless browser; {@code extraArgs} are further Chromium switches (a fake camera). */
    public static Browser phone(String name, List<String> extraArgs) {
        Path logs = Path.of(System.getProperty("onecard.test.log.dir", "target/test-logs"));
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        List<String> args = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run",
                "--disable-extensions", "--lang=zh-CN", "--window-size=390,844"));
        args.addAll(extraArgs);
        o.addArguments(args);
        o.setExperimentalOption("mobileEmulation", Map.of(
                "deviceMetrics", Map.of("width", 390, "height", 844, "pixelRatio", 2.0, "touch", true),
                "userAgent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
                        + " Chrome/156.0 Mobile Safari/537.36"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(logs.resolve("chromedriver-" + name + ".log").toFile()).build();
        return new Browser(new ChromeDriver(service, o));
    }

    private Browser(ChromeDriver driver) {
        this.driver = driver;
        this.screens = Path.of(System.getProperty("onecard.app.screenshots", "target/app-screens"));
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement await(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the element's text contains {@code text}; returns the element's whole text. */
    public String awaitText(By by, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return driver.findElement(by).getText();
    }

    /** Waits for the screen named {@code screen} (the app's main element's data-screen). */
    public void awaitScreen(String screen) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.attributeToBe(By.id("view"), "data-screen", screen));
    }

    public void type(By by, String text) {
        WebElement e = await(by);
        e.clear();
        e.sendKeys(text);
    }

    public void click(By by) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** A screenshot of the viewport as {@code name}.png. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(screens);
            Path p = screens.resolve(name + ".png");
            Files.write(p, driver.getScreenshotAs(OutputType.BYTES));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
