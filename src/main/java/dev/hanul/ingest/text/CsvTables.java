package dev.hanul.ingest.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.tika.detect.AutoDetectReader;
import org.apache.tika.exception.TikaException;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;

/**
 * CSV and TSV files as the table they are, fed to {@link StructuredTextHandler} like Tika's tables, so their rows keep
 * the header. Tika's own CSV parser falls back to plain text unless it is sure of the dialect; here the charset is
 * detected and the delimiter is whichever of comma, semicolon or tab the first line has most of (tab for TSV).
 */
final class CsvTables {

    private static final AttributesImpl NONE = new AttributesImpl();

    private CsvTables() {
    }

    static void read(Path file, String mediaType, StructuredTextHandler handler)
            throws IOException, TikaException, SAXException {
        try (InputStream in = Files.newInputStream(file); Reader reader = new AutoDetectReader(in)) {
            var buffered = new java.io.BufferedReader(reader);
            buffered.mark(64 * 1024);
            String firstLine = buffered.readLine();
            buffered.reset();
            char delimiter = SupportedTypes.TSV.equals(mediaType) ? '\t' : delimiter(firstLine == null ? "" : firstLine);
            handler.startElement("", "table", "table", NONE);
            for (CSVRecord record : CSVFormat.DEFAULT.builder().setDelimiter(delimiter).get().parse(buffered)) {
                handler.startElement("", "tr", "tr", NONE);
                for (String value : record) {
                    handler.startElement("", "td", "td", NONE);
                    handler.characters(value.toCharArray(), 0, value.length());
                    handler.endElement("", "td", "td");
                }
                handler.endElement("", "tr", "tr");
            }
            handler.endElement("", "table", "table");
        } catch (java.io.UncheckedIOException e) {
            // commons-csv reports a malformed record (an unclosed quote) this way.
            throw new TikaException("malformed CSV: " + e.getMessage(), e);
        }
    }

    private static char delimiter(String line) {
        char best = ',';
        long most = line.chars().filter(c -> c == ',').count();
        for (char candidate : new char[] {';', '\t'}) {
            long count = line.chars().filter(c -> c == candidate).count();
            if (count > most) {
                best = candidate;
                most = count;
            }
        }
        return best;
    }
}
