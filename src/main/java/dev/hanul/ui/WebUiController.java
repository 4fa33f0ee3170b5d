package dev.hanul.ui;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: the web UI's page. Spring's welcome page would serve it, but TGI's {@code POST /} maps the root path,
 * and a path mapped for one method answers every other method with 405; this mapping gives GET its page back. The
 * UI's scripts and styles are static resources under {@code /ui/}.
 */
@RestController
class WebUiController {

    private static final Resource PAGE = new ClassPathResource("static/index.html");

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(PAGE);
    }
}
