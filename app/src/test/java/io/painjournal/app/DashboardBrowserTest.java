package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium through its chromedriver): the app on the
 * embedded broker, the page opened at {@code /}, a bad token refused with a clear message, a good one
 * signed in, then events posted through the API appear in the ranking, the trend and the user's own
 * view without a reload, pushed over {@code /v1/stream}. Saves {@code target/screenshots/dashboard.png}.
 * Skips itself where no Chromium is installed; {@code .ci/run} installs one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    static final String USER = "u-browser";

    private Application app;
    private WebDriver browser;
    private TestHttp http;

    @BeforeAll
    void start(@TempDir Path dataDir, @TempDir Path profile) throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Chromium here (apt-get install chromium chromium-driver)");
        app = TestApps.start(TestApps.env(dataDir));
        http = new TestHttp(app.config().httpPort());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1800",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private WebDriverWait within(Duration d) {
        return new WebDriverWait(browser, d, Duration.ofMillis(50));
    }

    private By row(String table, String technique) {
        return By.cssSelector("#" + table + " tr[data-technique='" + technique + "']");
    }

    private void post(String technique, int before, int after) {
        post(technique, before, after, "");
    }

    private void post(String technique, int before, int after, String extra) {
        String token = TestJwt.token(USER, "user");
        String body = IngestEndToEndTest.session(UUID.randomUUID().toString(), USER, extra)
                .replace("\"tennis-ball\"", "\"" + technique + "\"")
                .replace("\"painBefore\":7", "\"painBefore\":" + before)
                .replace("\"painAfter\":4", "\"painAfter\":" + after);
        assertEquals(202, http.postJson("/v1/sessions", token, body).status());
    }

    @Test
    void signInThenWatchTheViewsChangeLiveAsEventsArrive() throws Exception {
        browser.get("http://127.0.0.1:" + app.config().httpPort() + "/");
        assertTrue(browser.getTitle().toLowerCase().contains("pain"), browser.getTitle());

        // A bad token: a clear message, no dashboard.
        WebElement tokenInput =
                within(Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(By.id("token")));
        tokenInput.clear();
        tokenInput.sendKeys("not-a-token");
        browser.findElement(By.id("sign-in")).click();
        WebElement error = within(Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")));
        within(Duration.ofSeconds(10)).until(d -> !error.getText().isBlank());
        assertTrue(
                error.getText().toLowerCase().contains("not valid")
                        || error.getText().toLowerCase().contains("expired"),
                error.getText());

        // A good one: signed in, the stream live.
        tokenInput = browser.findElement(By.id("token"));
        tokenInput.clear();
        tokenInput.sendKeys(TestJwt.token(USER, "user", "researcher"));
        browser.findElement(By.id("sign-in")).click();
        within(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("whoami"), USER));
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-status"), "Live"));
        // A mark that a reload would wipe: the updates below must come without one.
        ((JavascriptExecutor) browser).executeScript("window.__stillTheSamePage = true;");

        post("melt", 7, 3);
        post("melt", 6, 3);
        long posted = System.nanoTime();
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(row("population-table", "melt")));
        Duration firstUpdate = Duration.ofNanos(System.nanoTime() - posted);
        within(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(row("mine-table", "melt")));
        assertTrue(
                browser.findElement(row("mine-table", "melt"))
                        .getText()
                        .toLowerCase()
                        .contains("not enough data"),
                "two own sessions: marked as not enough data yet: "
                        + browser.findElement(row("mine-table", "melt")).getText());

        // Paid in two currencies: each shown on its own, never added together.
        post("melt", 6, 2, ",\"costCents\":2000,\"currency\":\"GBP\"");
        post("melt", 6, 4, ",\"costCents\":1000,\"currency\":\"EUR\"");
        // (the located form: the row is redrawn as the answers change, so a row found once may go stale)
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        row("population-table", "melt"), "€5.00 · £5.00 per point"));

        // A second technique, cheaper and better: the ranking changes order, live.
        post("tennis-ball", 8, 2);
        post("tennis-ball", 7, 1);
        posted = System.nanoTime();
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(row("population-table", "tennis-ball")));
        Duration secondUpdate = Duration.ofNanos(System.nanoTime() - posted);
        String firstRow = browser.findElement(By.cssSelector("#population-table tr[data-technique]"))
                .getAttribute("data-technique");
        assertEquals("tennis-ball", firstRow, "ranked by mean reduction: 6 before 3.5");

        // The trend chart of the picked technique.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("trend-technique")))
                .selectByValue("tennis-ball");
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("trend-summary"), "2 sessions"));
        assertTrue(!browser.findElements(By.cssSelector("#trend-chart canvas")).isEmpty(), "a uPlot chart is drawn");
        post("tennis-ball", 9, 4);
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("trend-summary"), "3 sessions"));

        // The research view: one user per cell is below k, so every cell shows as suppressed.
        browser.findElement(By.id("research-load")).click();
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#research-table tbody tr")));
        String research = browser.findElement(By.id("research-table")).getText();
        assertTrue(research.contains("tennis-ball") && research.contains("suppressed"), research);

        assertEquals(
                Boolean.TRUE,
                ((JavascriptExecutor) browser).executeScript("return window.__stillTheSamePage === true;"),
                "updated without reloading the page");
        assertTrue(
                firstUpdate.compareTo(Duration.ofSeconds(3)) < 0 && secondUpdate.compareTo(Duration.ofSeconds(3)) < 0,
                "views follow new events within seconds: " + firstUpdate + ", " + secondUpdate);
        System.out.println("DashboardBrowserTest: ranking updated " + firstUpdate.toMillis() + " ms and "
                + secondUpdate.toMillis() + " ms after the 202s");

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "screenshots", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
