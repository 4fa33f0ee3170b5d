package dev.hanul.collections;

import dev.hanul.config.DataDirectory;
import dev.hanul.index.VectorCollections;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The plain vector database under {@code <data-dir>/index/collections}, one Lucene index per collection. */
@Configuration(proxyBeanMethods = false)
class CollectionsConfiguration {

    @Bean(destroyMethod = "close")
    VectorCollections vectorCollections(DataDirectory dataDirectory) throws IOException {
        return VectorCollections.open(dataDirectory.path().resolve("index").resolve("collections"));
    }
}
