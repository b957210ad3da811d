package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
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
        java.util.Map<String, String> env = TestApps.env(dataDir);
        env.put("RESEARCH_MIN_USERS", "2"); // the smallest k: a technique needs two people to be shown
        app = TestApps.start(env);
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

    /** Opens the dashboard, signs out whoever is signed in, and signs in with {@code token}. */
    private void signInAfresh(String token) {
        browser.get("http://127.0.0.1:" + app.config().httpPort() + "/");
        if (!browser.findElements(By.id("sign-out")).isEmpty()
                && browser.findElement(By.id("sign-out")).isDisplayed()) {
            browser.findElement(By.id("sign-out")).click();
        }
        WebElement tokenInput =
                within(Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(By.id("token")));
        tokenInput.clear();
        tokenInput.sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
    }

    private void post(String technique, int before, int after) {
        post(technique, before, after, "");
    }

    /** Whether the population table shows the technique's figures (not "fewer than k people"). */
    private boolean shown(WebDriver d, String technique) {
        List<WebElement> rows = d.findElements(row("population-table", technique));
        try {
            return !rows.isEmpty() && !rows.get(0).getText().contains("fewer than k");
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return false; // redrawn meanwhile
        }
    }

    private void post(String technique, int before, int after, String extra) {
        postAs(USER, technique, before, after, extra);
    }

    private void postAs(String user, String technique, int before, int after, String extra) {
        String token = TestJwt.token(user, "user");
        String body = IngestEndToEndTest.session(UUID.randomUUID().toString(), user, extra)
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

        // Another person's sessions in the same week: with them, a technique has the two people k = 2 asks.
        postAs("u-peer", "melt", 6, 3, "");
        postAs("u-peer", "tennis-ball", 8, 2, "");
        post("melt", 7, 3);
        post("melt", 6, 3);
        long posted = System.nanoTime();
        within(Duration.ofSeconds(10)).until(d -> shown(d, "melt"));
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
        within(Duration.ofSeconds(10)).until(d -> shown(d, "tennis-ball"));
        Duration secondUpdate = Duration.ofNanos(System.nanoTime() - posted);
        String firstRow = browser.findElement(By.cssSelector("#population-table tr[data-technique]"))
                .getAttribute("data-technique");
        assertEquals("tennis-ball", firstRow, "ranked by mean reduction: 6 before 3.5");

        // The trend chart of the picked technique.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("trend-technique")))
                .selectByValue("tennis-ball");
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("trend-summary"), "3 sessions"));
        assertTrue(!browser.findElements(By.cssSelector("#trend-chart canvas")).isEmpty(), "a uPlot chart is drawn");
        post("tennis-ball", 9, 4);
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("trend-summary"), "4 sessions"));

        // The research view at a raised k (the request's minUsers): one user per cell is below it, so every
        // cell shows as suppressed.
        browser.findElement(By.id("research-min-users")).sendKeys("5");
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

    /**
     * "My techniques" with the personal model: three people whose sessions of Swedish massage and partner
     * massage vary give both a model (k = 2 here); a user with three Swedish sessions sees their likely relief
     * as a range with the chance that it matters in words, partner massage among the techniques worth trying,
     * and the suggestion, each as the API answers it; the population table says how much people differ.
     */
    @Test
    void myTechniquesShowHowSureEachIsAndWhatToTryNext() throws Exception {
        int[][] sessions = {{8, 3}, {7, 5}, {6, 1}, {9, 6}};
        for (int u = 0; u < 3; u++) {
            for (int[] s : sessions) {
                postAs("post-peer-" + u, "swedish", s[0], Math.min(10, s[1] + u), "");
                postAs("post-peer-" + u, "partner", s[0], Math.max(0, s[1] - u), "");
            }
        }
        String user = "u-posterior";
        String token = TestJwt.token(user, "user");
        for (int i = 0; i < 3; i++) {
            postAs(user, "swedish", 8, 3 + i, "");
        }
        TestApps.await("the user's posteriors", Duration.ofSeconds(30), () -> {
            JsonNode a = http.get("/v1/users/" + user + "/techniques", token).json();
            String population = http.get("/v1/techniques", token).body();
            // every peer session counted too, so the answer below is the one the dashboard will show
            return a.get("techniques").size() == 1
                    && a.get("techniques").get(0).get("sessions").asInt() == 3
                    && a.get("untried").toString().contains("\"partner\"")
                    && population.contains("{\"technique\":\"swedish\",\"sessions\":15,")
                    && population.contains("{\"technique\":\"partner\",\"sessions\":12,");
        });
        signInAfresh(token);
        // The personal answers pool with a population prior up to ViewQueries.PRIOR_TTL old: the page must come
        // to show what the API answers once that has passed, figure for figure.
        JsonNode[] answers = new JsonNode[1];
        String[] shown = new String[1];
        TestApps.await(
                "the dashboard showing the API's answer",
                Duration.ofSeconds(20),
                () -> {
                    answers[0] =
                            http.get("/v1/users/" + user + "/techniques", token).json();
                    JsonNode p = answers[0].get("techniques").get(0).get("posterior");
                    List<WebElement> rows = browser.findElements(row("mine-table", "swedish"));
                    try {
                        shown[0] = rows.isEmpty() ? "" : rows.get(0).getText();
                    } catch (org.openqa.selenium.StaleElementReferenceException e) {
                        return false; // redrawn meanwhile
                    }
                    return shown[0].contains(
                                    percent(p.get("probabilityMeaningful").asDouble())
                                            + " likely to ease your pain by at least a point")
                            && shown[0].contains(
                                    "(" + fixed2(p.get("credible95").get(0).asDouble()) + " to "
                                            + fixed2(p.get("credible95").get(1).asDouble()) + ")");
                },
                () -> "(shown " + shown[0] + "; answer " + answers[0] + ")");
        JsonNode answer = answers[0];
        JsonNode partner = null;
        for (JsonNode u : answer.get("untried")) {
            if (u.get("technique").asText().equals("partner")) {
                partner = u;
            }
        }
        assertEquals(
                3,
                browser.findElements(By.cssSelector("#mine-table tr[data-technique='swedish'] svg line.ci"))
                        .size(),
                "the range drawn as a whisker with its two ends");
        String untried = browser.findElement(By.cssSelector("#mine-untried li[data-technique='partner']"))
                .getText();
        assertTrue(
                untried.contains(
                        percent(partner.get("posterior").get("probabilityBest").asDouble())
                                + " likely to be your best"),
                untried);
        JsonNode suggestion = answer.get("suggestion");
        String said = browser.findElement(By.id("mine-suggestion")).getText();
        assertTrue(
                said.startsWith(
                        suggestion.get("reason").asText().equals("most-likely-best")
                                ? "Most likely your best:"
                                : "Worth trying:"),
                said);
        assertTrue(
                said.contains(percent(suggestion.get("probabilityBest").asDouble()) + " likely to be your best"), said);
        assertTrue(
                browser.findElement(By.id("mine")).getText().contains("not that the technique caused it"),
                "what the figures do not mean, in words");
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        row("population-table", "swedish"), "people differ by ±"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('mine').scrollIntoView();");
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "screenshots", "my-techniques.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Posts a trial of three 3-day pairs from {@code start} and one session per day listed in {@code reductions}
     * (per pair: the first technique's then the second's); {@code order} receives the drawn order.
     */
    private String completedTrial(
            String user, List<String> techniques, java.time.LocalDate start, int[][] reductions, String[] order) {
        String token = TestJwt.token(user, "user");
        String trialId = UUID.randomUUID().toString();
        assertEquals(
                202,
                http.postJson(
                                "/v1/users/" + user + "/trials",
                                token,
                                "{\"trialId\":\"" + trialId + "\",\"techniques\":[\"" + techniques.get(0) + "\",\""
                                        + techniques.get(1) + "\"],\"startDate\":\"" + start
                                        + "\",\"periodDays\":3,\"pairs\":3,\"washoutDays\":0}")
                        .status());
        TestApps.await("the trial", Duration.ofSeconds(30), () -> {
            TestHttp.Response r = http.get("/v1/users/" + user + "/trials/" + trialId, token);
            if (r.status() != 200) {
                return false;
            }
            for (int p = 0; p < 6; p++) {
                order[p] = r.json().get("periods").get(p).get("technique").asText();
            }
            return true;
        });
        for (int p = 0; p < 6; p++) {
            boolean first = order[p].equals(techniques.get(0));
            int[] rs = reductions[2 * (p / 2) + (first ? 0 : 1)];
            for (int k = 0; k < rs.length; k++) {
                String at = start.plusDays(3L * p + k)
                        .atTime(18, 0)
                        .toInstant(java.time.ZoneOffset.UTC)
                        .toString();
                String body = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user
                        + "\",\"technique\":\"" + order[p] + "\",\"startedAt\":\"" + at
                        + "\",\"durationMinutes\":10,\"painBefore\":8,\"painAfter\":" + (8 - rs[k]) + "}";
                assertEquals(202, http.postJson("/v1/sessions", token, body).status());
            }
        }
        TestApps.await(
                "the trial's three pairs",
                Duration.ofSeconds(30),
                () -> http.get("/v1/users/" + user + "/trials/" + trialId, token)
                                .json()
                                .get("result")
                                .get("pairsComplete")
                                .asInt()
                        == 3);
        return trialId;
    }

    /**
     * The trial panel with the population of trials of its pair published (k = 2 here): two people's completed
     * trials of deep-tissue massage and trigger-point therapy, each with deep-tissue about 2 points better.
     */
    @Test
    void theTrialPanelShowsThePopulationOfTrialsOnceThereAreK() throws Exception {
        java.time.LocalDate start =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(19);
        List<String> pair = List.of("deep-tissue", "trigger-point");
        completedTrial("pop-1", pair, start, new int[][] {{5}, {3}, {6}, {3}, {5}, {3}}, new String[6]);
        completedTrial("pop-2", pair, start, new int[][] {{4}, {3}, {5}, {2}, {6}, {4}}, new String[6]);
        JsonNode summary = http.get(
                        "/v1/trials/summary?techniques=deep-tissue,trigger-point", TestJwt.token("pop-1", "user"))
                .json();
        assertEquals(2, summary.get("trials").asInt(), summary.toString());
        signInAfresh(TestJwt.token("pop-1", "user"));
        within(Duration.ofSeconds(15))
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("trial-population"),
                        String.format(
                                java.util.Locale.ROOT,
                                "Of 2 people who compared them, Deep-tissue massage helped about %.1f points more on "
                                        + "average; for about %s of people it helps a point or more.",
                                summary.get("meanDifference").asDouble(),
                                percent(summary.get("shareFirstBetterByOne").asDouble()))));
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("trial-posterior"), "on your trial alone"));
    }

    /** x to two decimals as JavaScript's toFixed writes it: from the double's exact value, not its shortest form. */
    private static String fixed2(double x) {
        return new java.math.BigDecimal(x)
                .setScale(2, java.math.RoundingMode.HALF_UP)
                .toPlainString();
    }

    /** A probability as the dashboard writes it: whole percent, never 0 or 100 for what is only nearly sure. */
    private static String percent(double p) {
        long n = Math.round(p * 100);
        return (p < 1 && n == 100 ? ">99" : p > 0 && n == 0 ? "<1" : Long.toString(n)) + " %";
    }

    /**
     * "My trial": the server's field errors shown by field; a finished trial's schedule strip, per-pair chart
     * and verdict in words; a trial started from the form showing today's technique in large type.
     */
    @Test
    void myTrialShowsTheScheduleTheVerdictAndTodaysTechnique() throws Exception {
        String user = "u-trial";
        String token = TestJwt.token(user, "user");
        // A trial of three 3-day pairs that ended yesterday, followed with melt 2, 3 and 2.5 points better.
        java.time.LocalDate start =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(19);
        int[][] reductions = {{5}, {3}, {6}, {3}, {5}, {3, 2}}; // per pair: melt's then the ball's
        String[] order = new String[6];
        String trialId = completedTrial(user, List.of("melt", "tennis-ball"), start, reductions, order);

        signInAfresh(token);
        within(Duration.ofSeconds(15))
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("trial-verdict"),
                        "MELT method (foam roller and ball) helped about 2.5 points more than Tennis-ball technique; "
                                + "99 % likely better."));
        // the posterior in words, as the API answers it (one person's trial: no other trials to weigh it with)
        JsonNode posterior = http.get("/v1/users/" + user + "/trials/" + trialId, token)
                .json()
                .get("result")
                .get("posterior");
        double byOne = posterior.get("probabilityFirstBetterByOne").asDouble();
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("trial-posterior"),
                        percent(byOne) + " likely that MELT method (foam roller and ball) eases your pain at least a "
                                + "point more than Tennis-ball technique, on your trial alone."));
        within(Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("trial-population"), "Too few people have finished a trial of"));
        assertEquals(
                6, browser.findElements(By.cssSelector("#trial-strip .period")).size());
        assertEquals(
                3,
                browser.findElements(By.cssSelector("#trial-strip .period.first"))
                        .size());
        // pair 2's ball period: 2 sessions (the strip is redrawn as events arrive: looked up afresh until then)
        By ballPeriod =
                By.cssSelector("#trial-strip .period[data-period='" + (order[4].equals("tennis-ball") ? 4 : 5) + "']");
        within(Duration.ofSeconds(10)).until(d -> {
            try {
                return d.findElement(ballPeriod).getText().contains("✓ 2");
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        assertEquals(
                3, browser.findElements(By.cssSelector("#trial-chart circle")).size(), "one dot per pair");
        assertTrue(browser.findElement(By.id("trial-status")).getText().startsWith("completed"));

        // The form: the server's errors appear by field.
        WebElement date = browser.findElement(By.id("trial-start"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = '2099-01-01';", date);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('trial-pairs').value = '9';");
        browser.findElement(By.id("trial-create")).click();
        WebElement dateError = within(Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("trial-error-startDate")));
        assertTrue(dateError.getText().contains("60 days ahead"), dateError.getText());
        assertTrue(browser.findElement(By.id("trial-error-pairs")).isDisplayed());

        // A trial from today: today's technique in large type.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("trial-first"))).selectByValue("melt");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("trial-second")))
                .selectByValue("tennis-ball");
        ((JavascriptExecutor) browser)
                .executeScript("document.getElementById('trial-start').value = new Date().toISOString().slice(0, 10);"
                        + "document.getElementById('trial-pairs').value = '2';"
                        + "document.getElementById('trial-washout').value = '0';");
        browser.findElement(By.id("trial-create")).click();
        within(Duration.ofSeconds(15))
                .until(ExpectedConditions.textMatches(
                        By.id("trial-today"), java.util.regex.Pattern.compile("^Today: ")));
        WebElement today = browser.findElement(By.id("trial-today"));
        assertTrue(
                today.getText().equals("Today: MELT method (foam roller and ball)")
                        || today.getText().equals("Today: Tennis-ball technique"),
                today.getText());
        assertTrue(!browser.findElement(By.id("trial-error-startDate")).isDisplayed(), "errors cleared");
        assertEquals(
                1,
                browser.findElements(By.cssSelector("#trial-strip .period.now")).size());
        assertTrue(browser.findElement(By.id("trial-verdict")).getText().startsWith("Not enough yet: 0 of 2"));

        // "Download my data": the files the page hands to the browser, caught as they are made
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("window.__saved = []; const make = URL.createObjectURL;"
                + "URL.createObjectURL = (b) => { b.text().then((t) => window.__saved.push(t)); return make(b); };");
        browser.findElement(By.id("export-fhir")).click();
        browser.findElement(By.id("export-ndjson")).click();
        within(Duration.ofSeconds(10)).until(d -> ((Long) js.executeScript("return window.__saved.length;")) == 2);
        @SuppressWarnings("unchecked")
        List<String> saved = (List<String>) js.executeScript("return window.__saved;");
        assertTrue(saved.stream().anyMatch(t -> t.startsWith("{\"resourceType\":\"Bundle\"")), "a FHIR Bundle");
        assertTrue(
                saved.stream().anyMatch(t -> t.startsWith("{\"type\":\"") && t.contains("\"type\":\"trial\"")),
                "the NDJSON, the trial included");

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "screenshots", "dashboard-trial.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The researcher's panel: two arms of two people each (k = 2), compared exactly (a difference with its
     * interval, a chart of four intervals), then with differential privacy (the budget shown), then a request over
     * the budget, refused with the reason and not retried.
     */
    @Test
    void aResearcherComparesTwoStudyArms() throws Exception {
        for (String user : List.of("arm-1", "arm-2")) {
            postAs(user, "shiatsu", 8, 2, ",\"cohort\":\"shiatsu-arm\"");
            postAs(user, "shiatsu", 8, 3, ",\"cohort\":\"shiatsu-arm\"");
        }
        for (String user : List.of("ctl-1", "ctl-2")) {
            postAs(user, "thai", 8, 7, ",\"cohort\":\"control\"");
        }
        postAs("ctl-2", "thai", 8, 6, ",\"cohort\":\"control\"");
        String researcher = TestJwt.token("r-browser", "researcher");
        TestApps.await(
                "both arms",
                Duration.ofSeconds(30),
                () -> http.get("/v1/research/cohorts?a=shiatsu-arm&b=control", researcher)
                                .json()
                                .at("/b/sessions")
                                .asInt()
                        == 3);

        signInAfresh(researcher);
        within(Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(By.id("cohort-a")));
        browser.findElement(By.id("cohort-a")).sendKeys("shiatsu-arm");
        browser.findElement(By.id("cohort-b")).sendKeys("control");
        browser.findElement(By.id("cohort-compare")).click();
        WebElement difference = browser.findElement(By.id("cohort-difference"));
        within(Duration.ofSeconds(10)).until(d -> difference.getText().startsWith("Relief per session"));
        // A: means 5.5 and 5.5; B: 1 and 1.5 → difference 4.25
        assertTrue(difference.getText().contains("A minus B: 4.25 ("), difference.getText());
        List<WebElement> rows = browser.findElements(By.cssSelector("#cohort-table tbody tr"));
        assertEquals(2, rows.size());
        assertTrue(
                rows.get(0).getText().startsWith("A: shiatsu-arm 2 4 5.50"),
                rows.get(0).getText());
        assertTrue(
                rows.get(1).getText().contains("too few people with a journal"),
                rows.get(1).getText());
        assertEquals(
                2, browser.findElements(By.cssSelector("#cohort-chart circle")).size(), "two arms' relief");
        assertTrue(browser.findElement(By.id("cohort-privacy")).getText().startsWith("Exact figures"));

        browser.findElement(By.id("cohort-dp")).click();
        browser.findElement(By.id("cohort-compare")).click();
        WebElement privacy = browser.findElement(By.id("cohort-privacy"));
        within(Duration.ofSeconds(10)).until(d -> privacy.getText().startsWith("Released with differential privacy"));
        assertTrue(privacy.getText().contains("ε 0.50 spent, 4.50 left"), privacy.getText());

        WebElement epsilon = browser.findElement(By.id("cohort-epsilon"));
        epsilon.clear();
        epsilon.sendKeys("5");
        browser.findElement(By.id("cohort-compare")).click();
        WebElement error = within(Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("cohort-error")));
        assertTrue(error.getText().contains("nothing was spent"), error.getText());

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "screenshots", "dashboard-cohorts.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        browser.findElement(By.id("sign-out")).click(); // the other tests start signed out
    }
}
