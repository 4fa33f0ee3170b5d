package dev.hanul.finetune;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Accepts training files: every line checked ({@link ChatDataset}) before anything is stored, then the content
 * written, then its row; a refused file leaves nothing behind, and a row that cannot be written takes its content
 * with it.
 */
@Service
class TrainingFiles {

    static final String PURPOSE = "fine-tune";

    private final FineTuningStore store;
    private final FileContents contents;

    TrainingFiles(FineTuningStore store, FileContents contents) {
        this.store = store;
        this.contents = contents;
    }

    /**
     * Stores a file as the next version of the dataset it names.
     *
     * @throws DatasetRefused listing every line that cannot be trained on
     */
    Mono<TrainingFile> accept(String tenant, String filename, String dataset, String origin, byte[] bytes,
                              String actor) {
        return Mono.fromCallable(() -> ChatDataset.parse(text(bytes)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(parsed -> {
                    if (!parsed.problems().isEmpty()) {
                        return Mono.error(new DatasetRefused("The file '" + filename + "'", "file",
                                parsed.problems()));
                    }
                    return store.nextVersion(tenant, dataset).flatMap(version -> {
                        String id = Ids.next("file");
                        var row = new TrainingFile(id, tenant, filename, PURPOSE, dataset, version, origin,
                                bytes.length, parsed.examples().size(), sha256(bytes), actor, Instant.now());
                        return Mono.fromRunnable(() -> contents.write(id, bytes))
                                .subscribeOn(Schedulers.boundedElastic())
                                .then(store.insert(row))
                                .onErrorResume(failure -> Mono.fromRunnable(() -> contents.delete(id))
                                        .then(Mono.error(failure)));
                    });
                });
    }

    /** The examples of a stored file (they were valid when it was stored). */
    List<ChatExample> examples(TrainingFile file) {
        return ChatDataset.parse(contents.read(file.id())).examples();
    }

    String content(TrainingFile file) {
        return contents.read(file.id());
    }

    /** The dataset a file name stands for: the name without directories and its extension. */
    static String datasetName(String filename) {
        String name = filename.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The file is not UTF-8 text; training files "
                    + "are JSON Lines in UTF-8.");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
