package dev.hanul.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.ingest.TestDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every supported format through Tika, and the ways a document can be unreadable. */
class DocumentParserTest {

    private final DocumentParser parser = new DocumentParser(100_000);

    @TempDir
    Path dir;

    @Test
    void pdfPagesBecomeText() throws IOException {
        Path file = write("guide.pdf", TestDocuments.pdf(List.of("First page about otters.", "Second page.")));
        assertThat(parser.detect(file, "guide.pdf")).isEqualTo(SupportedTypes.PDF);
        assertThat(parser.parse(file, "guide.pdf", SupportedTypes.PDF).text())
                .contains("First page about otters.").contains("Second page.");
    }

    @Test
    void docxAndPptxAreDetectedByContent() throws IOException {
        Path docx = write("upload.bin", TestDocuments.docx("Report", List.of("Quarterly revenue grew.")));
        Path pptx = write("deck", TestDocuments.pptx(List.of("Slide about lighthouses")));
        assertThat(parser.detect(docx, "upload.bin")).isEqualTo(SupportedTypes.DOCX);
        assertThat(parser.detect(pptx, "deck")).isEqualTo(SupportedTypes.PPTX);
        assertThat(parser.parse(docx, "upload.bin", SupportedTypes.DOCX).text()).contains("Quarterly revenue grew.");
        assertThat(parser.parse(pptx, "deck", SupportedTypes.PPTX).text()).contains("Slide about lighthouses");
    }

    @Test
    void htmlHeadingsBecomeMarkdownHeadingsAndScriptsAreDropped() throws IOException {
        Path file = write("page.html", """
                <html><head><title>Garden notes</title><script>var tracking = 1;</script></head>
                <body><h1>Roses</h1><p>Prune in <b>March</b>.</p><h2>Pests</h2><ul><li>Aphids</li><li>Mites</li></ul>
                </body></html>""".getBytes(StandardCharsets.UTF_8));
        ParsedDocument parsed = parser.parse(file, "page.html", parser.detect(file, "page.html"));
        assertThat(parsed.title()).isEqualTo("Garden notes");
        assertThat(parsed.text()).contains("# Roses\n\nPrune in March.").contains("## Pests").contains("Aphids\nMites")
                .doesNotContain("tracking");
    }

    @Test
    void markdownAndKoreanTextKeepTheirLines() throws IOException {
        Path markdown = write("notes.md", "# 제목\n\n한국어 문장입니다.\n".getBytes(StandardCharsets.UTF_8));
        assertThat(parser.detect(markdown, "notes.md")).isEqualTo(SupportedTypes.MARKDOWN);
        assertThat(parser.parse(markdown, "notes.md", SupportedTypes.MARKDOWN).text())
                .contains("# 제목").contains("한국어 문장입니다.");
    }

    @Test
    void unsupportedTypesAreDetectedAsSuch() throws IOException {
        Path png = write("logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        assertThat(parser.detect(png, "logo.png")).isEqualTo("image/png");
        assertThat(SupportedTypes.isSupported("image/png")).isFalse();
    }

    @Test
    void encryptedCorruptAndTextlessDocumentsSayWhy() throws IOException {
        Path encrypted = write("locked.pdf", TestDocuments.encryptedPdf("hidden"));
        Path corrupt = write("broken.pdf", TestDocuments.corruptPdf());
        Path blank = write("blank.pdf", TestDocuments.pdf(List.of(" ")));
        assertThatThrownBy(() -> parser.parse(encrypted, "locked.pdf", SupportedTypes.PDF))
                .isInstanceOf(UnprocessableDocumentException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> parser.parse(corrupt, "broken.pdf", SupportedTypes.PDF))
                .isInstanceOf(UnprocessableDocumentException.class).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> parser.parse(blank, "blank.pdf", SupportedTypes.PDF))
                .isInstanceOf(UnprocessableDocumentException.class).hasMessageContaining("no text");
    }

    @Test
    void textBeyondTheLimitFailsTheDocument() throws IOException {
        Path big = write("big.txt", "word ".repeat(30_000).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> parser.parse(big, "big.txt", SupportedTypes.TEXT))
                .isInstanceOf(UnprocessableDocumentException.class).hasMessageContaining("max-text-chars");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
