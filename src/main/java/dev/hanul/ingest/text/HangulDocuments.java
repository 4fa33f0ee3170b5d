package dev.hanul.ingest.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import kr.dogfoot.hwplib.object.HWPFile;
import kr.dogfoot.hwplib.reader.HWPReader;
import kr.dogfoot.hwpxlib.object.HWPXFile;
import kr.dogfoot.hwpxlib.reader.HWPXReader;
import kr.dogfoot.hwpxlib.tool.textextractor.TextMarks;

/**
 * Text out of the Hangul word processor's files, which Tika detects but cannot read: HWP 5.x through hwplib and HWPX
 * through hwpxlib. Paragraphs are separated by blank lines, as the splitter expects.
 */
final class HangulDocuments {

    private HangulDocuments() {
    }

    /** An OLE2 container with HWP's FileHeader stream and its signature. */
    static boolean isHwp(Path file) {
        try (var ole = new POIFSFileSystem(file.toFile(), true)) {
            if (!ole.getRoot().hasEntry("FileHeader")) {
                return false;
            }
            try (var header = ole.createDocumentInputStream("FileHeader")) {
                byte[] signature = header.readNBytes(17);
                return new String(signature, StandardCharsets.US_ASCII).equals("HWP Document File");
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static ParsedDocument read(Path file, String mediaType) {
        String text;
        try {
            text = SupportedTypes.HWP.equals(mediaType) ? hwp(file) : hwpx(file);
        } catch (UnprocessableDocumentException e) {
            throw e;
        } catch (Exception e) {
            // Both libraries throw plain Exception for everything from a bad header to a truncated stream.
            throw new UnprocessableDocumentException("it cannot be read as " + SupportedTypes.name(mediaType) + " ("
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                    + "); the file may be corrupt, truncated or of an older HWP version (3.0 and before)", e);
        }
        return new ParsedDocument(text.replace("\r\n", "\n").replace('\r', '\n'), null);
    }

    private static String hwp(Path file) throws Exception {
        HWPFile hwp = HWPReader.fromFile(file.toFile());
        if (hwp == null) {
            throw new UnprocessableDocumentException("it is not an HWP 5.x document");
        }
        if (hwp.getFileHeader().hasPassword() || hwp.getFileHeader().isDRMDocument()) {
            throw new UnprocessableDocumentException("it is encrypted (password-protected); remove the password and "
                    + "upload it again");
        }
        var option = new kr.dogfoot.hwplib.tool.textextractor.TextExtractOption();
        option.setMethod(kr.dogfoot.hwplib.tool.textextractor.TextExtractMethod.InsertControlTextBetweenParagraphText);
        option.setWithControlChar(false);
        option.setAppendEndingLF(true);
        return paragraphs(kr.dogfoot.hwplib.tool.textextractor.TextExtractor.extract(hwp, option));
    }

    private static String hwpx(Path file) throws Exception {
        HWPXFile hwpx = HWPXReader.fromFile(file.toFile());
        TextMarks marks = new TextMarks().paraSeparatorAnd("\n\n").lineBreakAnd("\n").tabAnd("\t")
                .tableRowSeparatorAnd("\n").tableCellSeparatorAnd(" | ");
        return kr.dogfoot.hwpxlib.tool.textextractor.TextExtractor.extract(hwpx,
                kr.dogfoot.hwpxlib.tool.textextractor.TextExtractMethod.InsertControlTextBetweenParagraphText, true,
                marks);
    }

    /** hwplib ends each paragraph with one line feed; the splitter wants a blank line between paragraphs. */
    private static String paragraphs(String text) {
        return text.replace("\r\n", "\n").replaceAll("\n(?!\n)", "\n\n");
    }
}
