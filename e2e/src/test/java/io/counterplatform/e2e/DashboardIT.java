package io.counterplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.counterplatform.testsupport.Http;
import io.counterplatform.testsupport.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real (headless) browser: live counters with exact values, increments from its form, a
 * counter's history and chart, the admin panel running a replay, a phone's screen, a restart of the service.
 * Screenshots land in {@code target/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static Platform platform;
    private WebDriver browser;

    @BeforeAll
    static void start() {
        // CI installs Chromium and its driver; elsewhere the test runs where they are installed
        assumeTrue("true".equals(System.getenv("CI")) || Files.isExecutable(CHROMEDRIVER), "no chromedriver");
        // replays slow enough to watch their progress: two events a second
        platform = new Platform(
                        "COUNTER_REPLAY_MAX_EVENTS_PER_SECOND", "2",
                        // a failing subscription is disabled within seconds, for the panel to show it
                        "COUNTER_WEBHOOKS_INITIAL_BACKOFF", "100ms",
                        "COUNTER_WEBHOOKS_MAX_BACKOFF", "500ms",
                        "COUNTER_WEBHOOKS_DISABLE_AFTER", "2s")
                .start();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-dev-shm-usage",
                        "--window-size=1280,800");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void showsCountersLiveAndIncrementsFromItsForm() {
        platform.commands().post("/api/counters/existing/increments", "application/json", "{\"amount\":4}");
        platform.commands()
                .post("/api/counters/largest/increments", "application/json", "{\"amount\":" + Long.MAX_VALUE + "}");
        browser.get(platform.queries().baseUrl() + "/");
        FluentWait<WebDriver> wait = waitUpTo(PATIENCE);

        wait.until(page -> "live".equals(page.findElement(By.id("status")).getText()));
        wait.until(page -> "4".equals(cell(page, "existing", 1)));
        // past 2^53 a JavaScript number rounds (to 9223372036854776000): the page must not
        wait.until(page -> "9223372036854775807".equals(cell(page, "largest", 1)));

        platform.commands().post("/api/counters/existing/increments", "application/json", "{\"amount\":3}");
        wait.until(page -> "7".equals(cell(page, "existing", 1)));
        // the live feed: the increment, by its amount, to its new value
        wait.until(page -> page.findElement(By.id("log")).getText().contains("existing +3 → 7"));
        screenshot("dashboard");

        WebElement counterId = browser.findElement(By.id("counterId"));
        counterId.clear();
        counterId.sendKeys("from-the-form");
        WebElement amount = browser.findElement(By.id("amount"));
        amount.clear();
        amount.sendKeys("5");
        browser.findElement(By.cssSelector("#increment button")).click();

        wait.until(page -> page.findElement(By.id("result")).getText().contains("from-the-form is now 5"));
        wait.until(page -> "5".equals(cell(page, "from-the-form", 1)));
        assertThat(cell(browser, "from-the-form", 2)).isEqualTo("1");
        assertThat(browser.findElement(By.id("count")).getText()).isEqualTo("3");
        assertThat(browser.findElement(By.id("log")).getText()).contains("from-the-form +5 → 5");
    }

    @Test
    @Order(2)
    void aCounterShowsItsRecentEventsAndItsIncrementsPerMinute() {
        for (int amount = 1; amount <= 3; amount++) {
            platform.commands()
                    .post("/api/counters/charted/increments", "application/json", "{\"amount\":" + amount + "}");
        }
        browser.get(platform.queries().baseUrl() + "/");
        FluentWait<WebDriver> wait = waitUpTo(PATIENCE);
        wait.until(page -> "6".equals(cell(page, "charted", 1)));

        row(browser, "charted").click();

        wait.until(page -> page.findElement(By.id("detail")).isDisplayed());
        wait.until(page -> page.findElements(By.cssSelector("#events li")).size() == 3);
        assertThat(browser.findElement(By.cssSelector("#events li")).getText()).startsWith("v3 +3 → 6");
        // the series read model's last hour, a point per minute; the three increments in its newest minutes
        assertThat(browser.findElement(By.cssSelector("#chart polyline"))
                        .getAttribute("points")
                        .split(" "))
                .hasSize(60);
        wait.until(
                page -> page.findElement(By.id("chart-caption")).getText().startsWith("3 increments in the last hour"));
        screenshot("counter-detail");
    }

    @Test
    @Order(3)
    void theAdminPanelAsksForTheKeyShowsTheProjectionsAndRunsAReplayWithItsProgress() {
        platform.commands().post("/api/counters/replayed/increments", "application/json", "{\"amount\":2}");
        browser.get(platform.queries().baseUrl() + "/");
        FluentWait<WebDriver> wait = waitUpTo(PATIENCE);

        browser.findElement(By.id("admin-key")).sendKeys("not-the-key");
        browser.findElement(By.cssSelector("#admin button")).click();
        wait.until(page -> page.findElement(By.id("admin-result")).getText().contains("is not valid"));

        browser.findElement(By.id("admin-key")).sendKeys(Platform.ADMIN_KEY);
        browser.findElement(By.cssSelector("#admin button")).click();
        wait.until(page -> page.findElements(By.cssSelector("#projections tr")).size() == 3);
        assertThat(browser.findElement(By.id("projections")).getText())
                .contains("counter-summary")
                .contains("counter-series")
                .contains("webhooks")
                .contains("running");
        // lag in events and in milliseconds
        var lag = browser.findElements(By.cssSelector("#projections tr[data-name='counter-summary'] td"));
        assertThat(lag.get(2).getText()).matches("\\d+");
        assertThat(lag.get(3).getText()).matches("\\d[\\d,]*");

        browser.findElement(By.cssSelector("#projections tr[data-name='counter-summary'] button"))
                .click();
        wait.until(page -> !page.findElements(By.cssSelector("#projections tr[data-name='counter-summary'] progress"))
                .isEmpty());
        assertThat(browser.findElement(By.cssSelector("#projections tr[data-name='counter-summary']"))
                        .getText())
                .contains("replaying");
        screenshot("replay-progress");
        waitUpTo(Duration.ofMinutes(1))
                .until(page -> page.findElements(By.cssSelector("#projections tr[data-name='counter-summary'] button"))
                                .size()
                        == 1);
        assertThat(browser.findElement(By.cssSelector("#projections tr[data-name='counter-summary']"))
                        .getText())
                .contains("running");

        // a subscription whose endpoint fails: shown failing, then disabled with its last error, then enabled
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(delivery -> 500);
            Http.Response created = platform.queries()
                    .post(
                            "/api/subscriptions",
                            "application/json",
                            "{\"callbackUrl\":\"" + receiver.url() + "\",\"counterId\":\"hooked\"}",
                            "X-Api-Key",
                            Platform.ADMIN_KEY);
            String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            String row = "#subscriptions tr[data-id='" + id + "']";
            platform.commands().post("/api/counters/hooked/increments", "application/json", "{\"amount\":1}");
            wait.until(
                    page -> page.findElements(By.cssSelector(row + " button")).size() == 1);
            assertThat(browser.findElement(By.cssSelector(row)).getText())
                    .contains(receiver.url())
                    .contains("hooked")
                    .contains("disabled")
                    .contains("answered 500");
            screenshot("subscription-disabled");

            receiver.answer(delivery -> 204);
            browser.findElement(By.cssSelector(row + " button")).click();
            wait.until(page -> page.findElement(By.cssSelector(row)).getText().contains("enabled"));
            wait.until(page -> receiver.accepted().size() == 1);
        }
    }

    @Test
    @Order(4)
    void fitsAPhoneScreen() {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(platform.queries().baseUrl() + "/");
        FluentWait<WebDriver> wait = waitUpTo(PATIENCE);
        wait.until(page -> "live".equals(page.findElement(By.id("status")).getText()));
        wait.until(page -> cell(page, "largest", 1) != null);

        Object overflow = ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(((Number) overflow).longValue()).isLessThanOrEqualTo(0);
        screenshot("phone");
    }

    @Test
    @Order(5)
    void staysLiveAcrossARestartOfTheQuerySide() {
        browser.get(platform.queries().baseUrl() + "/");
        FluentWait<WebDriver> wait = waitUpTo(Duration.ofMinutes(2));
        platform.commands().post("/api/counters/restarted/increments", "application/json", "{\"amount\":4}");
        wait.until(page -> "4".equals(cell(page, "restarted", 1)));

        platform.crashQuerySide();
        wait.until(
                page -> "reconnecting".equals(page.findElement(By.id("status")).getText()));
        platform.startQuerySide();
        platform.commands().post("/api/counters/restarted/increments", "application/json", "{\"amount\":1}");

        wait.until(page -> "live".equals(page.findElement(By.id("status")).getText()));
        wait.until(page -> "5".equals(cell(page, "restarted", 1)));
    }

    private static WebElement row(WebDriver page, String counterId) {
        for (WebElement row : page.findElements(By.cssSelector("#counters tr"))) {
            if (row.findElements(By.tagName("td")).get(0).getText().equals(counterId)) {
                return row;
            }
        }
        throw new IllegalStateException("no row for " + counterId);
    }

    /** Kept under target/ for a look at what the browser showed. */
    private void screenshot(String name) {
        try {
            Path file = Path.of("target", "screenshots", name + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a column of the counter's row, or null while there is no such row. */
    private static String cell(WebDriver page, String counterId, int column) {
        for (WebElement row : page.findElements(By.cssSelector("#counters tr"))) {
            var cells = row.findElements(By.tagName("td"));
            if (cells.get(0).getText().equals(counterId)) {
                return cells.get(column).getText();
            }
        }
        return null;
    }

    /** A wait that looks again when a panel re-rendered the element it had found (the panels refresh themselves). */
    private FluentWait<WebDriver> waitUpTo(Duration patience) {
        return new WebDriverWait(browser, patience).ignoring(StaleElementReferenceException.class);
    }
}
