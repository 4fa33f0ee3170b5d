package dev.hanul.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The web UI's files with authentication on: the page and its modules load without a key (the page asks for one),
 * with a JavaScript media type (browsers refuse modules served otherwise), under the service's Content-Security-Policy,
 * which the files keep to: no inline scripts or handlers, no eval, no HTML built from strings. The API stays closed.
 * Same settings as the security tests, so the context is shared.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/security",
        "hanul.security.enabled=true",
        "hanul.security.admin-key=test-admin-key-0123456789abcdef0123456789",
        "management.endpoint.health.show-details=when-authorized"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class WebUiServingTest {

    private static final Path STATIC = Path.of("src/main/resources/static");

    @Autowired
    WebTestClient http;

    @Test
    void thePageAndItsModulesLoadWithoutAKeyUnderTheContentSecurityPolicy() throws IOException {
        String page = http.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().valueMatches("Content-Security-Policy", "default-src 'self';.*")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
        http.get().uri("/index.html").exchange().expectStatus().isOk();

        for (Path module : modules()) {
            String path = "/ui/" + module.getFileName();
            http.get().uri(path).exchange()
                    .expectStatus().isOk()
                    .expectHeader().value("Content-Type", type -> assertThat(type).as(path)
                            .startsWith("text/javascript"))
                    .expectBody(String.class).value(body -> assertThat(body).as(path)
                            .isEqualTo(read(module)));
        }
        http.get().uri("/ui/style.css").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/css");
    }

    @Test
    void theApiBehindTheUiStillNeedsAKey() {
        for (String path : List.of("/api/conversations", "/api/documents", "/api/admin/models", "/api/keys/self")) {
            http.get().uri(path).exchange().expectStatus().isUnauthorized();
        }
        // TGI's POST / shares the root path with the page.
        http.post().uri("/").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputs\": \"hi\"}").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void theFilesKeepToWhatThePolicyAllows() throws IOException {
        String page = read(STATIC.resolve("index.html"));
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page).find())
                .as("an inline script in index.html").isFalse();
        assertThat(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(page).find())
                .as("an inline event handler in index.html").isFalse();
        for (Path module : modules()) {
            String code = read(module);
            assertThat(code).as(module.toString()).doesNotContain("eval(").doesNotContain("new Function")
                    .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                    .doesNotContain("document.write");
        }
    }

    private static List<Path> modules() throws IOException {
        try (Stream<Path> files = Files.list(STATIC.resolve("ui"))) {
            List<Path> modules = files.filter(f -> f.toString().endsWith(".js")).sorted().toList();
            assertThat(modules).isNotEmpty();
            return modules;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
