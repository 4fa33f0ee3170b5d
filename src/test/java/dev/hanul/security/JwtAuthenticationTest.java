package dev.hanul.security;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.hanul.ingest.JobAccepted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Tokens of a company's identity provider next to API keys. The test is the identity provider: it makes an RSA key,
 * serves its JWK set over HTTP, and mints tokens with nimbus-jose-jwt; the service checks them with Spring Security's
 * decoder, configured as a user would (jwk-set-uri, issuer-uri, audiences), and maps their claims to role and tenant.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/security-jwt",
        "hanul.security.enabled=true",
        "hanul.security.admin-key=" + JwtAuthenticationTest.ADMIN_KEY,
        "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + JwtAuthenticationTest.ISSUER,
        "spring.security.oauth2.resourceserver.jwt.audiences=hanul",
        "hanul.security.oidc.roles-claim=hanul_roles",
        "hanul.security.oidc.tenant-claim=hanul_tenant"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class JwtAuthenticationTest {

    static final String ADMIN_KEY = "test-admin-key-jwt-0123456789abcdef012345";
    static final String ISSUER = "https://idp.example.com/realms/acme";
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final RSAKey SIGNING = rsaKey("idp-1");
    private static final RSAKey STRANGER = rsaKey("someone-else");
    private static final HttpServer IDENTITY_PROVIDER = jwkSetServer();

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void jwkSet(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + IDENTITY_PROVIDER.getAddress().getPort() + "/jwks");
    }

    @AfterAll
    static void stopIdentityProvider() {
        IDENTITY_PROVIDER.stop(0);
    }

    @Test
    void aUserTokenActsAsAKeyOfItsTenant() {
        String tenant = newTenant();
        String token = token(SIGNING, claims -> claims.claim("hanul_roles", List.of("user"))
                .claim("hanul_tenant", tenant));
        String jobId = http.post().uri("/api/ingest/text").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"documents\": [{\"id\": \"plan\", \"text\": \"The plan is marmalade.\"}]}")
                .exchange().expectStatus().isAccepted().expectBody(JobAccepted.class).returnResult()
                .getResponseBody().jobId();
        // the token's tenant claim chose the tenant, as a tenant-bound key's tenant does
        http.get().uri("/api/ingest/jobs/{id}", jobId).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.tenant").isEqualTo(tenant);
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("X-Tenant-Id", newTenant()).exchange().expectStatus().isForbidden();
        http.get().uri("/api/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void anAdminTokenManagesKeysAndTheKeysWorkBesideTokens() {
        String admin = token(SIGNING, claims -> claims.claim("hanul_roles", "read-only admin"));
        String tenant = newTenant();
        Map<String, Object> created = http.post().uri("/api/admin/keys")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"app\", \"role\": \"read-only\", \"tenant\": \"" + tenant + "\"}").exchange()
                .expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody();
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + created.get("key"))
                .exchange().expectStatus().isOk();
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + created.get("key"))
                .header("X-Tenant-Id", newTenant()).exchange().expectStatus().isForbidden();
        http.get().uri("/api/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY).exchange()
                .expectStatus().isOk();
    }

    @Test
    void tokensThatAreNotValidAre401SayingWhy() {
        assertUnauthorized(token(STRANGER, claims -> claims.claim("hanul_roles", "admin")), "not valid");
        assertUnauthorized(token(SIGNING, claims -> claims.claim("hanul_roles", "admin")
                .issueTime(Date.from(Instant.now().minus(Duration.ofHours(2))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofHours(1))))), "expired");
        assertUnauthorized(token(SIGNING, claims -> claims.claim("hanul_roles", "admin")
                .issuer("https://evil.example.com")), "not valid");
        assertUnauthorized(token(SIGNING, claims -> claims.claim("hanul_roles", "admin")
                .audience("another-service")), "not valid");
        assertUnauthorized(token(SIGNING, claims -> claims.claim("hanul_roles", List.of("viewer"))),
                "no Hanul role in its claim 'hanul_roles'");
        assertUnauthorized(token(SIGNING, claims -> claims.claim("hanul_roles", "user")
                .claim("hanul_tenant", "../etc")), "not a tenant name");
    }

    private void assertUnauthorized(String token, String reason) {
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .containsIgnoringCase(reason));
    }

    /** A token as the identity provider issues it (issuer, audience, subject, an hour to live), then adjusted. */
    private static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> adjust) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience("hanul")
                .subject("alice@example.com").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
        adjust.accept(claims);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsaKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The identity provider's JWK set endpoint: only the public part of its signing key. */
    private static HttpServer jwkSetServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(SIGNING.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
