package dev.hanul.ingest;

import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/**
 * Small real documents, made with the libraries that write these formats (PDFBox, POI), so the tests parse what
 * office tools produce rather than committed binaries.
 */
public final class TestDocuments {

    private TestDocuments() {
    }

    /** A PDF with one line of text per entry, on as many pages as there are entries. */
    public static byte[] pdf(List<String> pages) {
        return pdf(pages, null);
    }

    /** A PDF that opens only with a user password. */
    public static byte[] encryptedPdf(String text) {
        return pdf(List.of(text), "secret");
    }

    /** Bytes that start like a PDF and stop in the middle of it. */
    public static byte[] corruptPdf() {
        byte[] whole = pdf(List.of("This PDF will be cut short."));
        return Arrays.copyOf(whole, whole.length / 3);
    }

    private static byte[] pdf(List<String> pages, String userPassword) {
        try (var document = new PDDocument(); var out = new ByteArrayOutputStream()) {
            var font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String text : pages) {
                var page = new PDPage();
                document.addPage(page);
                try (var content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.newLineAtOffset(72, 700);
                    content.showText(text);
                    content.endText();
                }
            }
            if (userPassword != null) {
                var policy = new StandardProtectionPolicy("owner-" + userPassword, userPassword,
                        new AccessPermission());
                policy.setEncryptionKeyLength(128);
                document.protect(policy);
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Word document: a title paragraph, then one paragraph per entry. */
    public static byte[] docx(String title, List<String> paragraphs) {
        try (var document = new XWPFDocument(); var out = new ByteArrayOutputStream()) {
            document.createParagraph().createRun().setText(title);
            for (String text : paragraphs) {
                document.createParagraph().createRun().setText(text);
            }
            document.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PowerPoint deck with one text box per slide. */
    public static byte[] pptx(List<String> slides) {
        try (var show = new XMLSlideShow(); var out = new ByteArrayOutputStream()) {
            for (String text : slides) {
                XSLFTextBox box = show.createSlide().createTextBox();
                box.setAnchor(new Rectangle(50, 50, 600, 300));
                box.setText(text);
            }
            show.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
