package dev.hanul.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The formats of an office file share beyond PDF/DOCX/PPTX/HTML: each detected by content and read, with the
 * structure that matters kept (table headers, mail headers, attachments).
 */
class DocumentFormatsTest {

    private static final DocumentParser parser = new DocumentParser(1_000_000);

    @TempDir
    Path dir;

    private String read(String name, byte[] content, String expectedType) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        String type = parser.detect(file, name);
        assertThat(type).as("detected type of " + name).isEqualTo(expectedType);
        assertThat(parser.canRead(type)).isTrue();
        return parser.parse(file, name, type).text();
    }

    @Test
    void spreadsheetRowsKeepTheirColumnHeaders() throws IOException {
        var header = List.of("Region", "Quarter", "Revenue");
        var rows = List.<List<Object>>of(List.of("Seoul", "Q1", 120), List.of("Busan", "Q1", 75));
        for (boolean legacy : List.of(false, true)) {
            String text = read(legacy ? "sales.xls" : "sales.xlsx", FormatSamples.workbook(legacy, header, rows),
                    legacy ? SupportedTypes.XLS : SupportedTypes.XLSX);
            assertThat(text).contains("Region | Quarter | Revenue")
                    .contains("Region: Seoul | Quarter: Q1 | Revenue: 120")
                    .contains("Region: Busan | Quarter: Q1 | Revenue: 75");
        }
    }

    @Test
    void csvRowsKeepTheirColumnHeaders() throws IOException {
        String text = read("people.csv", "name,team,phone ext\nKim,Search,1234\nLee,Serving,5678\n"
                .getBytes(StandardCharsets.UTF_8), SupportedTypes.CSV);
        assertThat(text).contains("name: Lee | team: Serving | phone ext: 5678");
    }

    @Test
    void htmlTablesKeepTheirHeaders() throws IOException {
        String text = read("t.html", """
                <html><body><p>Before.</p><table><tr><th>City</th><th>Population</th></tr>
                <tr><td><p>Daegu</p></td><td>2.4M</td></tr></table><p>After.</p></body></html>"""
                .getBytes(StandardCharsets.UTF_8), SupportedTypes.HTML);
        assertThat(text).contains("Before.\n\nCity | Population\nCity: Daegu | Population: 2.4M\n\nAfter.");
    }

    @Test
    void legacyPowerPointRtfOdtEpubJsonAndXml() throws IOException {
        assertThat(read("deck.ppt", FormatSamples.ppt("Lighthouse maintenance schedule"), SupportedTypes.PPT))
                .contains("Lighthouse maintenance schedule");
        assertThat(read("memo.rtf", FormatSamples.rtf("The ferry leaves at nine."), SupportedTypes.RTF))
                .contains("The ferry leaves at nine.");
        assertThat(read("notes.odt", FormatSamples.odt("OpenDocument notes about tides."), SupportedTypes.ODT))
                .contains("OpenDocument notes about tides.");
        assertThat(read("book.epub", FormatSamples.epub("Sea Tales", "The whale surfaced at dawn."),
                SupportedTypes.EPUB)).contains("The whale surfaced at dawn.");
        assertThat(read("config.json", "{\"service\": \"hanul\", \"owner\": \"search team\"}"
                .getBytes(StandardCharsets.UTF_8), SupportedTypes.JSON)).contains("search team");
        assertThat(read("feed.xml", "<?xml version=\"1.0\"?><items><item>Quarterly audit</item></items>"
                .getBytes(StandardCharsets.UTF_8), SupportedTypes.XML)).contains("Quarterly audit");
    }

    @Test
    void mailHeadersBecomeTextAndAttachmentsAreReadApart() throws IOException {
        String text = read("budget.eml", FormatSamples.eml("2027 budget draft", "Kim Minji <minji@example.com>",
                "team@example.com", "Please review the draft by Friday.", "notes.txt",
                "Attachment: travel costs rise by 8 percent."), SupportedTypes.EML);
        assertThat(text).startsWith("Subject: 2027 budget draft\n").contains("From: Kim Minji")
                .contains("To: team@example.com").contains("Please review the draft by Friday.")
                .doesNotContain("travel costs");

        MailParts.Mail mail = parser.readMail(dir.resolve("budget.eml"), SupportedTypes.EML, 1 << 20);
        assertThat(mail.headers()).containsEntry("subject", "2027 budget draft")
                .containsEntry("to", "team@example.com").containsKey("date");
        assertThat(mail.headers().get("from")).contains("Kim Minji");
        assertThat(mail.attachments()).singleElement().satisfies(attachment -> {
            assertThat(attachment.fileName()).isEqualTo("notes.txt");
            assertThat(new String(attachment.content(), StandardCharsets.UTF_8).strip())
                    .isEqualTo("Attachment: travel costs rise by 8 percent.");
        });
    }

    @Test
    void hwpWrittenByHwplibIsRead() throws IOException {
        String text = read("공지.hwp", FormatSamples.hwp("연차 휴가는 매년 15일이 주어진다. Annual leave is 15 days."),
                SupportedTypes.HWP);
        assertThat(text).contains("연차 휴가는 매년 15일이 주어진다.").contains("Annual leave is 15 days.");
    }

    @Test
    void hwpxWrittenByHwpxlibIsRead() throws IOException {
        String text = read("보고서.hwpx", FormatSamples.hwpx("분기 매출은 12% 증가했다."), SupportedTypes.HWPX);
        assertThat(text).contains("분기 매출은 12% 증가했다.");
    }

    @Test
    void corruptHwpSaysWhy() throws IOException {
        byte[] good = FormatSamples.hwp("잘린 문서");
        Path file = dir.resolve("broken.hwp");
        Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> parser.parse(file, "broken.hwp", SupportedTypes.HWP))
                .isInstanceOf(UnprocessableDocumentException.class).hasMessageContaining("cannot be read as HWP");
    }

    @Test
    void imagesAreRefusedWithTheReasonWithoutOcr() {
        var noOcr = new DocumentParser(1000, Ocr.off("tesseract is not installed"));
        assertThat(noOcr.canRead("image/png")).isFalse();
        assertThat(noOcr.refusal("image/png")).contains("needs OCR").contains("tesseract is not installed");
        assertThat(noOcr.refusal("application/zip")).contains("cannot ingest").contains("HWPX");
        assertThat(noOcr.refusal(SupportedTypes.XLSX)).isNull();
    }

    @Test
    void scannedPagesAndImagesAreReadByOcrInKoreanAndEnglish() throws IOException {
        assumeTrue(parser.ocr().available(), () -> "OCR cannot run here: " + parser.ocr().reason());
        assumeTrue(parser.ocr().languages().contains("kor") && parser.ocr().languages().contains("eng"),
                () -> "tesseract lacks Korean or English: " + parser.ocr().languages());
        var font = FormatSamples.koreanFont();
        assumeTrue(font.isPresent(), "no font that draws Hangul is installed (Debian: fonts-nanum)");
        var image = FormatSamples.scan(font.get(), List.of("Invoice number 4471", "납부 기한은 다음 달 말일입니다"));
        String fromPng = read("scan.png", FormatSamples.png(image), "image/png");
        assertThat(fromPng).contains("Invoice").contains("4471").contains("납부");
        String fromPdf = read("scan.pdf", FormatSamples.scannedPdf(image), SupportedTypes.PDF);
        assertThat(fromPdf).contains("Invoice").contains("4471").contains("납부");
    }
}
