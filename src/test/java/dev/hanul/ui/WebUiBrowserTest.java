package dev.hanul.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web UI in a real browser (Debian's chromium through chromedriver) against the service with authentication on,
 * serving SmolLM2-135M-Instruct: sign in with an API key, upload documents (file picker and drag and drop) and watch
 * the job finish, ask a question and watch the answer arrive token by token, open a citation on the quoted span,
 * move a canary weight with the keyboard, and read the operations pages, in English and Korean. Every page is
 * checked by axe-core: no serious or critical violations. Screenshots and the axe results are kept under
 * target/web-ui/.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=" + WebUiBrowserTest.DATA, "hanul.model.kv-cache=128MB",
        "hanul.security.enabled=true", "hanul.security.admin-key=" + WebUiBrowserTest.ADMIN_KEY,
        "hanul.chat.answer-tokens=48"})
// Its settings are its own, so no other test shares the context: closing it frees the three engines it loaded.
@DirtiesContext
class WebUiBrowserTest {

    static final String DATA = "target/test-data/web-ui";
    static final String ADMIN_KEY = "web-ui-test-admin-key-0123456789abcdef";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path ARTIFACTS = Path.of("target/web-ui");
    private static final String QUESTION = "What does the cafeteria serve on Wednesdays?";
    private static final String CAFETERIA = "The Hanul office cafeteria serves bibimbap on Wednesdays.";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // A fresh registry and index per run: versions, aliases and documents of an earlier run would come back.
        deleteTree(Path.of(DATA));
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, List<Rule>> accessibility = new LinkedHashMap<>();
    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void startBrowser() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed (/usr/bin/chromium, /usr/bin/chromedriver): "
                        + "apt-get install -y chromium chromium-driver (.ci/run does)");
        Assumptions.assumeTrue(TestModels.find(TestModels.STORIES).isPresent(), TestModels.notFound(TestModels.STORIES));
        Files.createDirectories(ARTIFACTS);
        profile = Files.createTempDirectory("hanul-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags chromium keeps calling Google's hosts, which a closed network
        // refuses; a fresh profile keeps runs independent.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,1000", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            deleteTree(profile);
        }
    }

    @Test
    void aUserSignsInUploadsAsksOpensACitationAndMovesACanary() throws IOException {
        String stable = registerAndLoad("story", copy("story-stable"));
        String candidate = registerAndLoad("story", copy("story-candidate"));
        admin("PUT", "/api/admin/models/aliases/canary", "{\"version\": \"%s\"}".formatted(stable));

        signIn();
        uploadDocuments();
        askAndOpenTheCitation();
        moveTheCanaryWeight(stable, candidate);
        readTheOperationsPages();
        switchToKorean();

        assertThat(consoleErrors()).as("the browser console (CSP refusals, script errors)").isEmpty();
        Map<String, List<String>> serious = new LinkedHashMap<>();
        accessibility.forEach((page, violations) -> {
            List<String> found = violations.stream().filter(rule -> List.of("serious", "critical")
                    .contains(rule.getImpact())).map(rule -> rule.getImpact() + " " + rule.getId() + ": "
                    + rule.getHelp() + " " + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget()))
                    .toList()).toList();
            if (!found.isEmpty()) {
                serious.put(page, found);
            }
        });
        assertThat(accessibility).as("pages checked by axe-core").hasSizeGreaterThanOrEqualTo(8);
        assertThat(serious).as("serious or critical axe-core violations").isEmpty();
    }

    private void signIn() {
        browser.get(base() + "/");
        WebElement key = await(By.name("key"));
        check("sign-in");
        key.sendKeys("hanul_wrong_key");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        WebElement error = await(By.cssSelector("form [role=alert]"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !error.getText().isBlank());
        assertThat(error.getText()).startsWith("Sign-in failed:");
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();

        key = browser.findElement(By.name("key"));
        key.clear();
        key.sendKeys(ADMIN_KEY, Keys.ENTER);
        await(By.cssSelector("#nav a[aria-current=page]"));
        assertThat(browser.findElement(By.id("who")).getText()).contains("admin");
        screenshot("01-signed-in");
    }

    private void uploadDocuments() throws IOException {
        browser.get(base() + "/#/documents");
        WebElement picker = await(By.id("pick-files"));
        Path file = Files.createTempDirectory("hanul-upload").resolve("cafeteria.txt");
        Files.writeString(file, CAFETERIA);
        picker.sendKeys(file.toAbsolutePath().toString());
        awaitText(By.cssSelector(".jobs"), "finished");

        // Drag and drop: a drop event carrying a file, as the browser fires it when a file is dropped on the zone.
        js("""
                const transfer = new DataTransfer();
                transfer.items.add(new File(['Visitors park in the underground garage on level B2.'], 'parking.txt',
                    {type: 'text/plain'}));
                document.querySelector('.drop').dispatchEvent(new DragEvent('drop', {dataTransfer: transfer,
                    bubbles: true, cancelable: true}));""");
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> d.findElements(By.cssSelector(".jobs li"))
                .stream().filter(li -> li.getText().contains("finished")).count() == 2);
        awaitText(By.cssSelector(".table-wrap table"), "parking.txt");
        assertThat(browser.findElement(By.cssSelector(".table-wrap table")).getText()).contains("cafeteria.txt");
        screenshot("02-documents");
        check("documents");

        // The filter narrows the list as one types.
        browser.findElement(By.name("filter")).sendKeys("park");
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d ->
                d.findElements(By.cssSelector(".table-wrap tbody tr")).size() == 1);
    }

    private void askAndOpenTheCitation() {
        browser.get(base() + "/#/chat");
        WebElement question = await(By.name("question"));
        // Every change of the answer's text is recorded as it happens, to see the answer grow token by token.
        js("""
                window.__answerLengths = [];
                new MutationObserver(() => {
                  const answers = document.querySelectorAll('.message.assistant .text');
                  const last = answers[answers.length - 1];
                  if (last) window.__answerLengths.push(last.textContent.length);
                }).observe(document.querySelector('.log'), {childList: true, subtree: true, characterData: true});""");
        question.sendKeys(QUESTION, Keys.ENTER);
        WebElement answer = new WebDriverWait(browser, Duration.ofSeconds(180)).until(ExpectedConditions
                .presenceOfElementLocated(By.cssSelector(".message.assistant .actions")));
        String text = browser.findElement(By.cssSelector(".message.assistant .text")).getText();
        assertThat(text).containsIgnoringCase("bibimbap");
        @SuppressWarnings("unchecked")
        List<Number> lengths = (List<Number>) js("return window.__answerLengths;");
        List<Long> growing = lengths.stream().map(Number::longValue).filter(n -> n > 0).distinct().toList();
        assertThat(growing).as("the answer's length as it streamed in").hasSizeGreaterThanOrEqualTo(3)
                .isSorted();
        assertThat(answer.getText()).contains("tokens").contains("TTFT");
        awaitText(By.cssSelector(".conversations"), QUESTION);
        screenshot("03-chat-answer");
        check("chat");

        WebElement source = browser.findElement(By.cssSelector(".sources button.source"));
        assertThat(source.getText()).contains("cafeteria.txt");
        source.click();
        WebElement mark = new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions
                .visibilityOfElementLocated(By.cssSelector("dialog[open] mark")));
        assertThat(mark.getText()).isEqualTo(CAFETERIA);
        assertThat(browser.findElement(By.cssSelector("dialog[open] h2")).getText())
                .isEqualTo("Source [1]: cafeteria.txt");
        screenshot("04-citation");
        check("citation");
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector("dialog[open]"))
                .isEmpty());
        assertThat(browser.switchTo().activeElement().getText()).as("focus returns to the citation")
                .contains("cafeteria.txt");
    }

    private void moveTheCanaryWeight(String stable, String candidate) {
        browser.get(base() + "/#/operations/models");
        WebElement weight = await(By.id("canary-weight"));
        new Select(browser.findElement(By.name("canary-alias"))).selectByValue("canary");
        new Select(browser.findElement(By.name("stable"))).selectByValue(stable);
        new Select(browser.findElement(By.name("canary"))).selectByValue(candidate);
        js("arguments[0].value = 10; arguments[0].dispatchEvent(new Event('input'));", weight);
        // The slider moves by keyboard: 20 steps right from 10 % is 30 %.
        for (int i = 0; i < 20; i++) {
            weight.sendKeys(Keys.ARROW_RIGHT);
        }
        assertThat(browser.findElement(By.cssSelector("output[for=canary-weight]")).getText()).isEqualTo("30%");
        browser.findElement(By.xpath("//button[.='Apply split']")).click();
        awaitText(By.cssSelector(".card"), candidate + " 30%");

        JsonNode alias = admin("GET", "/api/admin/models/aliases/canary", null);
        assertThat(alias.get("targets").valueStream().map(t -> t.get("version").asString() + "="
                + t.get("weight").asInt()).toList()).containsExactly(stable + "=70", candidate + "=30");
        assertThat(alias.get("updatedBy").asString()).as("who moved it").isEqualTo("web-ui:hanul.security.admin-key");
        screenshot("05-operations-models");
        check("operations-models");
    }

    private void readTheOperationsPages() {
        browser.get(base() + "/#/operations/metrics");
        awaitText(By.cssSelector(".figures"), "Requests running");
        assertThat(browser.findElement(By.cssSelector(".figures")).getText()).contains("Generated tokens");
        // What the page read, kept beside its screenshot.
        write(ARTIFACTS.resolve("metrics.txt"), admin("GET", "/actuator/prometheus", null, "text/plain"));
        // A second read of the counters gives the throughput between the two.
        browser.findElement(By.xpath("//button[.='Refresh']")).click();
        awaitText(By.cssSelector(".figures"), "tokens/s");
        screenshot("06-operations-metrics");
        check("operations-metrics");

        browser.get(base() + "/#/operations/interactions");
        awaitText(By.cssSelector(".card table"), QUESTION);
        WebElement up = browser.findElement(By.cssSelector(".card table button.rate[data-rating=up]"));
        up.click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> "true".equals(up.getDomAttribute("aria-pressed"))
                || "true".equals(up.getAttribute("aria-pressed")));
        check("operations-interactions");

        browser.get(base() + "/#/operations/prompts");
        awaitText(By.cssSelector(".card"), "rag-default");
        check("operations-prompts");

        browser.get(base() + "/#/operations/eval");
        awaitText(By.cssSelector(".card"), "Compare selected");
        check("operations-eval");
    }

    private void switchToKorean() {
        browser.get(base() + "/#/chat");
        await(By.name("question"));
        new Select(browser.findElement(By.id("lang"))).selectByValue("ko");
        awaitText(By.id("nav"), "채팅");
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("ko");
        assertThat(browser.findElement(By.cssSelector("label[for]")).getText()).isNotBlank();
        Object missing = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/ui/i18n.js').then((strings) => done(strings.missingKeys()));""");
        assertThat((List<?>) missing).as("UI texts that one language lacks").isEmpty();
        screenshot("07-chat-korean");
        check("chat-korean");
    }

    /** Runs axe-core on the page as it is now and keeps its violations (and a JSON copy) under the page's name. */
    private void check(String page) {
        Results results = new AxeBuilder().analyze(browser);
        assertThat(results.isErrored()).as(results.getErrorMessage()).isFalse();
        accessibility.put(page, results.getViolations());
        List<Map<String, Object>> violations = new ArrayList<>();
        for (Rule rule : results.getViolations()) {
            violations.add(Map.of("id", rule.getId(), "impact", String.valueOf(rule.getImpact()), "help",
                    rule.getHelp(), "nodes", rule.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList()));
        }
        write(ARTIFACTS.resolve("axe-" + page + ".json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(Map.of("page", page, "url", browser.getCurrentUrl(), "passes",
                        results.getPasses().size(), "violations", violations)));
    }

    private List<String> consoleErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // A wrong key on purpose answers 401, which chromium logs as a failed resource.
                .filter(message -> !message.contains("401"))
                .toList();
    }

    private void screenshot(String name) {
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), ARTIFACTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private WebElement await(By locator) {
        return explained(() -> new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(locator)));
    }

    private void awaitText(By locator, String text) {
        explained(() -> new WebDriverWait(browser, Duration.ofSeconds(120))
                .until(ExpectedConditions.textToBePresentInElementLocated(locator, text)));
    }

    /** A wait that fails leaves the page as it was (screenshot, HTML, console) beside the other artifacts. */
    private <T> T explained(java.util.function.Supplier<T> wait) {
        try {
            return wait.get();
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failed");
            write(ARTIFACTS.resolve("failed.html"), browser.getPageSource());
            write(ARTIFACTS.resolve("failed-console.txt"), String.join("\n", browser.manage().logs()
                    .get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList()));
            throw e;
        }
    }

    private Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    /** Registers a version of a local file, loads it and waits until it is READY; returns its id. */
    private String registerAndLoad(String model, Path file) {
        JsonNode version = admin("POST", "/api/admin/models/" + model + "/versions",
                "{\"source\": {\"path\": \"%s\"}}".formatted(file));
        admin("POST", "/api/admin/models/" + model + "/versions/" + version.get("version").asInt() + "/load", "");
        String id = version.get("id").asString();
        org.awaitility.Awaitility.await(id + " READY").atMost(Duration.ofSeconds(60))
                .until(() -> admin("GET", "/api/admin/models/" + model + "/versions/" + version.get("version").asInt(),
                        null).at("/state/phase").asString(), phase -> phase.equals("READY") || phase.equals("FAILED"));
        return id;
    }

    private static Path copy(String name) {
        Path target = Path.of(DATA + "-files", name + ".gguf").toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Files.copy(TestModels.require(TestModels.STORIES), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private JsonNode admin(String method, String path, String body) {
        return JSON.readTree(admin(method, path, body, "application/json"));
    }

    private String admin(String method, String path, String body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofMinutes(1)).header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json").header("Accept", accept)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
