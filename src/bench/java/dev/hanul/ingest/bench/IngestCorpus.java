package dev.hanul.ingest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A deterministic corpus of real-sized documents (2-20 KB) built from real text on this machine, so that no corpus
 * is committed: English paragraphs from Debian's license texts and package documentation, Korean sentences from the
 * Korean message catalogs of installed programs ({@code /usr/share/locale/ko}). Every third document is Korean and
 * every fifth English one carries a Korean paragraph, as mixed-language archives do.
 */
public final class IngestCorpus {

    private static final int MIN_BYTES = 2 * 1024;
    private static final int MAX_BYTES = 20 * 1024;
    private static final int MO_MAGIC = 0x950412de;
    private static final Pattern HANGUL = Pattern.compile("\\p{IsHangul}{2}");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n");

    private final List<String> english;
    private final List<String> korean;

    IngestCorpus(List<String> english, List<String> korean) {
        if (english.isEmpty() || korean.isEmpty()) {
            throw new IllegalStateException("No real text to build the corpus from: it needs English documentation "
                    + "under /usr/share/doc or /usr/share/common-licenses and Korean message catalogs under "
                    + "/usr/share/locale/ko/LC_MESSAGES (found %d English paragraphs, %d Korean sentences)"
                            .formatted(english.size(), korean.size()));
        }
        this.english = english;
        this.korean = korean;
    }

    /** Reads this machine's text in a fixed order, so the same machine always yields the same corpus. */
    public static IngestCorpus fromThisMachine() {
        List<String> english = new ArrayList<>();
        for (Path root : List.of(Path.of("/usr/share/common-licenses"), Path.of("/usr/share/doc"))) {
            for (Path file : files(root, "glob:**/{*.txt,*.md,*.rst,README*,copyright,Apache-2.0,GPL-3,LGPL-3,MPL-2.0}")) {
                english.addAll(paragraphs(file));
            }
        }
        List<String> korean = new ArrayList<>();
        for (Path catalog : files(Path.of("/usr/share/locale/ko/LC_MESSAGES"), "glob:**/*.mo")) {
            korean.addAll(translations(catalog));
        }
        return new IngestCorpus(english, korean);
    }

    public int englishParagraphs() {
        return english.size();
    }

    public int koreanSentences() {
        return korean.size();
    }

    /** Writes {@code count} documents into {@code dir} (Markdown and plain text alternately); returns their paths. */
    public List<Path> write(Path dir, int count, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int target = MIN_BYTES + random.nextInt(MAX_BYTES - MIN_BYTES);
            String text = document(i, target, random);
            Path file = dir.resolve("doc-%04d.%s".formatted(i, i % 2 == 0 ? "md" : "txt"));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            written.add(file);
        }
        return written;
    }

    private String document(int index, int targetBytes, Random random) {
        boolean isKorean = index % 3 == 2;
        StringBuilder text = new StringBuilder("# Document " + index + "\n\n");
        int englishAt = random.nextInt(english.size());
        int koreanAt = random.nextInt(korean.size());
        int paragraph = 0;
        while (text.toString().getBytes(StandardCharsets.UTF_8).length < targetBytes) {
            if (isKorean || (index % 5 == 0 && paragraph == 1)) {
                int sentences = 4 + random.nextInt(5);
                for (int s = 0; s < sentences; s++) {
                    text.append(korean.get(koreanAt++ % korean.size())).append(' ');
                }
            } else {
                text.append(english.get(englishAt++ % english.size()));
            }
            text.append("\n\n");
            paragraph++;
        }
        return truncate(text.toString(), MAX_BYTES);
    }

    /** Cuts at {@code maxBytes} of UTF-8, dropping a character the cut would split. */
    private static String truncate(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.IGNORE)
                    .decode(ByteBuffer.wrap(bytes, 0, maxBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("IGNORE never reports malformed input", e);
        }
    }

    private static List<Path> files(Path root, String glob) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        var matcher = root.getFileSystem().getPathMatcher(glob);
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** Paragraphs of prose: long enough, and mostly letters (not tables, code or ASCII art). */
    static List<String> paragraphs(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // not UTF-8 or unreadable: other files give enough text
        }
        List<String> paragraphs = new ArrayList<>();
        for (String paragraph : BLANK_LINES.split(text)) {
            String flat = paragraph.strip().replaceAll("\\s+", " ");
            long letters = flat.chars().filter(c -> Character.isLetter(c) || c == ' ').count();
            if (flat.length() >= 200 && letters >= flat.length() * 0.85) {
                paragraphs.add(flat);
            }
        }
        return paragraphs;
    }

    /** The Korean translations in a GNU gettext catalog (.mo): its format is a header and two string tables. */
    static List<String> translations(Path catalog) {
        ByteBuffer mo;
        try {
            mo = ByteBuffer.wrap(Files.readAllBytes(catalog)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + catalog + ": " + e.getMessage(), e);
        }
        if (mo.getInt(0) != MO_MAGIC) {
            return List.of(); // big-endian catalogs do not occur on the platforms this runs on
        }
        int count = mo.getInt(8);
        int table = mo.getInt(16);
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = mo.getInt(table + 8 * i);
            int offset = mo.getInt(table + 8 * i + 4);
            String translation = new String(mo.array(), offset, length, StandardCharsets.UTF_8);
            for (String form : translation.split("\0")) {
                String flat = form.strip().replaceAll("\\s+", " ");
                if (HANGUL.matcher(flat).find() && flat.length() >= 10) {
                    sentences.add(flat);
                }
            }
        }
        return sentences;
    }
}
