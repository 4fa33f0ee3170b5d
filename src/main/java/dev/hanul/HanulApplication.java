package dev.hanul;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Hanul service: one WebFlux application that ingests, retrieves, generates and operates. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HanulApplication {

    public static void main(String[] args) {
        SpringApplication.run(HanulApplication.class, args);
    }
}
