package dev.hanul.ingest.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.tika.exception.TikaConfigException;
import org.apache.tika.parser.ocr.TesseractOCRParser;

/**
 * Whether OCR can run here: the {@code tesseract} binary on the path and which of the wanted languages it has.
 * Tika's OCR parser skips OCR silently when tesseract is missing; this is asked once at start so that images are
 * refused with the reason instead of being accepted and coming out empty.
 *
 * @param languages the installed ones of the wanted languages, joined with '+' as tesseract takes them; empty when
 *                  OCR cannot run
 * @param reason    why OCR cannot run, or what it reads when it can
 */
public record Ocr(String languages, String reason) {

    public boolean available() {
        return !languages.isEmpty();
    }

    public static Ocr off(String reason) {
        return new Ocr("", reason);
    }

    /** @param wanted tesseract language codes joined with '+', e.g. "kor+eng" */
    public static Ocr detect(String wanted) {
        if (wanted.isBlank()) {
            return off("OCR is turned off (hanul.ingest.ocr-languages is empty)");
        }
        var tesseract = new TesseractOCRParser();
        Set<String> installed;
        try {
            tesseract.initialize(Map.of());
            if (!tesseract.hasTesseract()) {
                return off("tesseract is not installed (Debian/Ubuntu: apt-get install tesseract-ocr "
                        + "tesseract-ocr-kor tesseract-ocr-eng)");
            }
            installed = installedLanguages();
        } catch (TikaConfigException | IOException e) {
            return off("tesseract could not be started (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return off("interrupted while asking tesseract for its languages");
        }
        List<String> usable = Arrays.stream(wanted.split("\\+")).map(String::strip)
                .filter(installed::contains).toList();
        if (usable.isEmpty()) {
            return off("tesseract has none of the languages " + wanted + " (installed: " + installed
                    + "); install e.g. tesseract-ocr-kor and tesseract-ocr-eng");
        }
        return new Ocr(String.join("+", usable), "tesseract reads " + String.join("+", usable));
    }

    /** {@code tesseract --list-langs}: a heading line, then one language code per line. */
    private static Set<String> installedLanguages() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(TesseractOCRParser.getTesseractProg(), "--list-langs")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output.lines().skip(1).map(String::strip).filter(line -> line.matches("[A-Za-z_]+"))
                .collect(Collectors.toSet());
    }
}
