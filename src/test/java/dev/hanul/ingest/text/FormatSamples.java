package dev.hanul.ingest.text;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import kr.dogfoot.hwplib.object.HWPFile;
import kr.dogfoot.hwplib.object.bodytext.paragraph.Paragraph;
import kr.dogfoot.hwplib.writer.HWPWriter;
import kr.dogfoot.hwpxlib.object.HWPXFile;
import kr.dogfoot.hwpxlib.writer.HWPXWriter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.poi.hslf.usermodel.HSLFSlide;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hslf.usermodel.HSLFTextBox;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Files of each format, written in the test by the libraries that own the format (POI, hwplib, hwpxlib, PDFBox,
 * Java 2D) or by hand where the format is plain text or a small zip (EML, RTF, ODT, EPUB), so that every parser runs
 * on a real file of its kind.
 */
public final class FormatSamples {

    private FormatSamples() {
    }

    /** A workbook (XLSX or, with {@code legacy}, XLS) with one sheet: a header row and the given rows. */
    public static byte[] workbook(boolean legacy, List<String> header, List<List<Object>> rows) {
        try (Workbook book = legacy ? new HSSFWorkbook() : new XSSFWorkbook();
             var out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("Sales");
            Row first = sheet.createRow(0);
            for (int c = 0; c < header.size(); c++) {
                first.createCell(c).setCellValue(header.get(c));
            }
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.createRow(r + 1);
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Object value = rows.get(r).get(c);
                    if (value instanceof Number number) {
                        row.createCell(c).setCellValue(number.doubleValue());
                    } else {
                        row.createCell(c).setCellValue(String.valueOf(value));
                    }
                }
            }
            book.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] ppt(String text) {
        try (var show = new HSLFSlideShow(); var out = new ByteArrayOutputStream()) {
            HSLFSlide slide = show.createSlide();
            HSLFTextBox box = slide.createTextBox();
            box.setText(text);
            box.setAnchor(new java.awt.Rectangle(50, 50, 500, 100));
            show.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HWP 5.x file that hwplib itself writes: its blank document with the text as the first paragraph. */
    public static byte[] hwp(String text) {
        try {
            HWPFile file = kr.dogfoot.hwplib.tool.blankfilemaker.BlankFileMaker.make();
            Paragraph paragraph = file.getBodyText().getSectionList().get(0).getParagraph(0);
            if (paragraph.getText() == null) {
                paragraph.createText();
            }
            paragraph.getText().addString(text);
            var out = new ByteArrayOutputStream();
            HWPWriter.toStream(file, out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("hwplib could not write the sample: " + e.getMessage(), e);
        }
    }

    /** An HWPX file that hwpxlib writes: its blank document with the text in the first paragraph. */
    public static byte[] hwpx(String text) {
        try {
            HWPXFile file = kr.dogfoot.hwpxlib.tool.blankfilemaker.BlankFileMaker.make();
            var paragraph = file.sectionXMLFileList().get(0).getPara(0);
            paragraph.getRun(0).addNewT().addText(text);
            return HWPXWriter.toBytes(file);
        } catch (Exception e) {
            throw new IllegalStateException("hwpxlib could not write the sample: " + e.getMessage(), e);
        }
    }

    /** A MIME message with a text body and a text attachment. */
    public static byte[] eml(String subject, String from, String to, String body, String attachmentName,
            String attachment) {
        return ("""
                From: %s\r
                To: %s\r
                Subject: %s\r
                Date: Tue, 1 Dec 2026 09:30:00 +0900\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="b1"\r
                \r
                --b1\r
                Content-Type: text/plain; charset=UTF-8\r
                \r
                %s\r
                --b1\r
                Content-Type: text/plain; charset=UTF-8\r
                Content-Disposition: attachment; filename="%s"\r
                \r
                %s\r
                --b1--\r
                """).formatted(from, to, subject, body, attachmentName, attachment).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] rtf(String text) {
        return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\\f0\\fs24 " + text + "\\par}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** An OpenDocument text: the zip with an uncompressed mimetype first, content.xml and the manifest. */
    public static byte[] odt(String text) {
        return zip("application/vnd.oasis.opendocument.text", Map.of(
                "content.xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
                          xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
                          <office:body><office:text><text:p>%s</text:p></office:text></office:body>
                        </office:document-content>""".formatted(text),
                "META-INF/manifest.xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
                          manifest:version="1.2">
                          <manifest:file-entry manifest:full-path="/"
                            manifest:media-type="application/vnd.oasis.opendocument.text"/>
                          <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
                        </manifest:manifest>"""));
    }

    /** An EPUB 2 book with one chapter. */
    public static byte[] epub(String title, String chapter) {
        return zip("application/epub+zip", Map.of(
                "META-INF/container.xml", """
                        <?xml version="1.0"?>
                        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
                          <rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>
                          </rootfiles></container>""",
                "content.opf", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
                          <metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>%s</dc:title>
                            <dc:identifier id="id">sample</dc:identifier><dc:language>en</dc:language></metadata>
                          <manifest><item id="c1" href="chapter1.xhtml" media-type="application/xhtml+xml"/></manifest>
                          <spine><itemref idref="c1"/></spine>
                        </package>""".formatted(title),
                "chapter1.xhtml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <html xmlns="http://www.w3.org/1999/xhtml"><head><title>%s</title></head>
                        <body><h1>Chapter one</h1><p>%s</p></body></html>""".formatted(title, chapter)));
    }

    private static byte[] zip(String mimetype, Map<String, String> entries) {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            byte[] type = mimetype.getBytes(StandardCharsets.US_ASCII);
            var first = new ZipEntry("mimetype");
            first.setMethod(ZipEntry.STORED);
            first.setSize(type.length);
            var crc = new CRC32();
            crc.update(type);
            first.setCrc(crc.getValue());
            zip.putNextEntry(first);
            zip.write(type);
            zip.closeEntry();
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A font that draws both Hangul and Latin letters, if one is installed (e.g. Debian's fonts-nanum). */
    public static Optional<Font> koreanFont() {
        if (GraphicsEnvironment.isHeadless() && System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        return Arrays.stream(GraphicsEnvironment.getLocalGraphicsEnvironment().getAllFonts())
                .filter(font -> font.canDisplayUpTo("한국어 English") == -1)
                .filter(font -> font.getFamily().startsWith("Nanum") || font.getFamily().contains("CJK")
                        || font.getFamily().contains("Gothic"))
                .findFirst()
                .map(font -> font.deriveFont(Font.PLAIN, 40f));
    }

    /** Black lines of text on white, as a scanner would give them: 300 dpi-like, large and clean. */
    public static BufferedImage scan(Font font, List<String> lines) {
        var image = new BufferedImage(1400, 120 + 90 * lines.size(), BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), 60, 100 + 90 * i);
        }
        g.dispose();
        return image;
    }

    public static byte[] png(BufferedImage image) {
        try (var out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PDF whose only page is the image: no text layer, as from a scanner. */
    public static byte[] scannedPdf(BufferedImage image) {
        try (var document = new PDDocument(); var out = new ByteArrayOutputStream()) {
            var page = new PDPage();
            document.addPage(page);
            var picture = LosslessFactory.createFromImage(document, image);
            try (var content = new PDPageContentStream(document, page)) {
                float width = page.getMediaBox().getWidth() - 40;
                content.drawImage(picture, 20, 400, width, width * image.getHeight() / image.getWidth());
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
