package dev.hanul.collections;

import dev.hanul.api.JsonFilters;
import dev.hanul.api.JsonMetadata;
import dev.hanul.index.Filter;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.Metadata;
import dev.hanul.index.Quantization;
import dev.hanul.index.VectorCollection;
import dev.hanul.index.VectorCollections;
import dev.hanul.index.VectorQuery;
import dev.hanul.index.VectorRecord;
import dev.hanul.index.VectorSimilarity;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/collections}: the index as a plain vector database. Collections hold vectors that clients embed
 * themselves, with ids and metadata, and answer filtered nearest-neighbour queries. Writes are committed before the
 * answer, so an acknowledged upsert or delete is durable. Collections are shared by all tenants.
 */
@RestController
class CollectionsController {

    static final int MAX_TOP_K = 1000;

    record CreateRequest(String name, Integer dimension, String similarity, String quantization) {
    }

    record CollectionView(String name, int dimension, String similarity, String quantization, long count) {
    }

    record UpsertRequest(List<VectorBody> vectors) {
    }

    record VectorBody(String id, float[] vector, JsonNode metadata) {
    }

    record UpsertResponse(String collection, int upserted) {
    }

    record RecordView(String id, float[] vector, Map<String, Object> metadata) {
    }

    record QueryRequest(float[] vector, Integer topK, JsonNode filters, Double minScore, Integer candidates) {
    }

    record Match(String id, float score, Map<String, Object> metadata) {
    }

    record QueryResponse(String collection, List<Match> matches) {
    }

    private final VectorCollections collections;

    CollectionsController(VectorCollections collections) {
        this.collections = collections;
    }

    @PostMapping("/api/collections")
    Mono<ResponseEntity<CollectionView>> create(@RequestBody CreateRequest request) {
        if (request.dimension() == null) {
            throw badRequest("dimension is missing; give the number of floats in every vector, e.g. 384.");
        }
        VectorSimilarity similarity = named(VectorSimilarity.class, request.similarity(), VectorSimilarity.COSINE,
                "similarity");
        Quantization quantization = named(Quantization.class, request.quantization(), Quantization.NONE,
                "quantization");
        return blocking(() -> {
            IndexConfig config = IndexConfig.of(request.dimension(), similarity).withQuantization(quantization);
            return view(collections.create(request.name(), config));
        }).map(view -> ResponseEntity.created(URI.create("/api/collections/" + view.name())).body(view));
    }

    @GetMapping("/api/collections")
    Mono<List<CollectionView>> list() {
        return blocking(() -> {
            var views = new ArrayList<CollectionView>();
            for (String name : collections.names()) {
                views.add(view(collections.get(name)));
            }
            return views;
        });
    }

    @GetMapping("/api/collections/{name}")
    Mono<CollectionView> get(@PathVariable String name) {
        return blocking(() -> view(collections.get(name)));
    }

    @DeleteMapping("/api/collections/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> drop(@PathVariable String name) {
        return blocking(() -> {
            collections.drop(name);
            return true;
        }).then();
    }

    /** Inserts the vectors, replacing any with the same ids, and commits. */
    @PostMapping("/api/collections/{name}/vectors")
    Mono<UpsertResponse> upsert(@PathVariable String name, @RequestBody UpsertRequest request) {
        if (request.vectors() == null || request.vectors().isEmpty()) {
            throw badRequest("vectors is missing or empty; send {\"vectors\": [{\"id\": \"a\", \"vector\": [...], "
                    + "\"metadata\": {...}}]}.");
        }
        var records = new ArrayList<VectorRecord>(request.vectors().size());
        for (int i = 0; i < request.vectors().size(); i++) {
            VectorBody body = request.vectors().get(i);
            String field = "vectors[" + i + "]";
            if (body == null || body.id() == null || body.id().isBlank()) {
                throw badRequest(field + ".id is missing; every vector needs an id.");
            }
            if (body.vector() == null) {
                throw badRequest(field + ".vector is missing; send the vector as an array of numbers.");
            }
            try {
                records.add(new VectorRecord(body.id(), body.vector(),
                        Metadata.of(JsonMetadata.values(body.metadata(), field + ".metadata"))));
            } catch (IllegalArgumentException e) {
                throw badRequest(e.getMessage());
            }
        }
        return blocking(() -> {
            VectorCollection collection = collections.get(name);
            collection.upsert(records);
            collection.commit();
            return new UpsertResponse(name, records.size());
        });
    }

    @GetMapping("/api/collections/{name}/vectors/{id}")
    Mono<RecordView> record(@PathVariable String name, @PathVariable String id) {
        return blocking(() -> collections.get(name).get(id)
                .map(found -> new RecordView(found.id(), found.vector(), JsonMetadata.toJson(found.metadata())))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Collection '" + name
                        + "' has no vector with id '" + id + "'.")));
    }

    @DeleteMapping("/api/collections/{name}/vectors/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable String name, @PathVariable String id) {
        return blocking(() -> {
            VectorCollection collection = collections.get(name);
            collection.delete(id);
            collection.commit();
            return true;
        }).then();
    }

    @PostMapping("/api/collections/{name}/query")
    Mono<QueryResponse> query(@PathVariable String name, @RequestBody QueryRequest request) {
        if (request.vector() == null) {
            throw badRequest("vector is missing; send the query vector as an array of numbers.");
        }
        int topK = request.topK() == null ? 10 : request.topK();
        if (topK < 1 || topK > MAX_TOP_K) {
            throw badRequest("topK must be between 1 and " + MAX_TOP_K + ", got " + topK + ".");
        }
        Filter filter;
        try {
            filter = JsonFilters.parse(request.filters(), "filters");
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        int candidates = request.candidates() == null ? Math.max(topK, 100) : request.candidates();
        if (candidates < topK) {
            throw badRequest("candidates (" + candidates + ") must be at least topK (" + topK + ").");
        }
        VectorQuery query = new VectorQuery(request.vector(), topK, filter, candidates,
                request.minScore() == null ? 0 : request.minScore());
        return blocking(() -> new QueryResponse(name, collections.get(name).query(query).stream()
                .map(match -> new Match(match.id(), match.score(), JsonMetadata.toJson(match.metadata())))
                .toList()));
    }

    private static CollectionView view(VectorCollection collection) throws IOException {
        IndexConfig config = collection.config();
        return new CollectionView(collection.name(), config.dimension(),
                config.similarity().name().toLowerCase(Locale.ROOT),
                config.quantization().name().toLowerCase(Locale.ROOT), collection.count());
    }

    /**
     * Runs index work off the event loop, and turns the library's exceptions into answers: an unknown collection is
     * 404, an existing one 409, a bad value (wrong dimension, bad name) 400.
     */
    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic()).onErrorMap(failure -> switch (failure) {
            case NoSuchElementException e -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                    capitalized(e.getMessage()) + ". POST /api/collections creates one.");
            case IllegalStateException e when e.getMessage().contains("already exists") ->
                    new ResponseStatusException(HttpStatus.CONFLICT, capitalized(e.getMessage())
                            + "; choose another name, or drop it first.");
            case IllegalArgumentException e -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    capitalized(e.getMessage()) + ".");
            default -> failure;
        });
    }

    private static <E extends Enum<E>> E named(Class<E> type, String value, E fallback, String field) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw badRequest(field + " '" + value + "' is not known; use one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .toList() + ".");
        }
    }

    private static String capitalized(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    private static ResponseStatusException badRequest(String message) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
    }
}
