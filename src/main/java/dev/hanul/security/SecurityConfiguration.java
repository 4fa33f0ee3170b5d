package dev.hanul.security;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * The service's one security filter chain. Stateless: no sessions, cookies, CSRF tokens or login pages, only an API
 * key per request ({@link BearerKeyAuthenticator}), what the key may do ({@link KeyAccessFilter}) and its limits
 * ({@link RateLimitFilter}). Security headers and CORS apply whether authentication is on or off. 401 and 403 are
 * thrown as errors, so the service's error handlers render them in each API's own format (OpenAI's under /v1).
 */
@Configuration
@EnableWebFluxSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * Open with authentication on: health probes, what a browser needs to show the API description, and the web UI's
     * static files (its sign-in page asks for the key; every call it makes carries it).
     */
    private static final String[] OPEN = {"/actuator/health", "/actuator/health/**", "/actuator/info",
            "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**",
            "/webjars/**", "/favicon.ico", "/", "/index.html", "/ui/**"};

    /**
     * The one way to authenticate. As a bean it also keeps Spring Boot from creating its default user with a
     * generated password, which would be a second, unmanaged way in.
     */
    @Bean
    BearerKeyAuthenticator bearerKeyAuthenticator(ApiKeyStore store, SecurityProperties properties,
            ObjectProvider<ReactiveJwtDecoder> jwtDecoder) {
        ReactiveJwtDecoder decoder = jwtDecoder.getIfAvailable();
        if (decoder != null) {
            log.info("JWTs from the identity provider are accepted next to API keys (role from claim '{}', tenant "
                    + "from claim '{}')", properties.oidc().rolesClaim(), properties.oidc().tenantClaim());
        }
        return new BearerKeyAuthenticator(store, properties.adminKey(),
                decoder == null ? null : new JwtKeys(decoder, properties.oidc()));
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, SecurityProperties properties,
            BearerKeyAuthenticator authenticator, RateLimits limits) {
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .cors(cors -> cors.configurationSource(cors(properties.cors())))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; img-src 'self' data:; "
                                + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; "
                                + "form-action 'self'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)));
        if (!properties.enabled()) {
            log.warn("""

                    ************************************************************************************************
                    *  AUTHENTICATION IS OFF (hanul.security.enabled=false): anyone who reaches this port reads    *
                    *  and changes every tenant's documents, conversations and keys. Turn it on for anything but   *
                    *  a test on your own machine.                                                                 *
                    ************************************************************************************************""");
            return http.authorizeExchange(exchanges -> exchanges.anyExchange().permitAll()).build();
        }
        AuthenticationWebFilter authentication = new AuthenticationWebFilter(authenticator);
        authentication.setServerAuthenticationConverter(authenticator);
        authentication.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(unauthorized()));
        return http
                .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.OPTIONS).permitAll()
                        .pathMatchers(HttpMethod.GET, OPEN).permitAll()
                        .anyExchange().authenticated())
                .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthorized())
                        .accessDeniedHandler(forbidden()))
                .addFilterAfter(new KeyAccessFilter(), SecurityWebFiltersOrder.AUTHORIZATION)
                .addFilterAt(new RateLimitFilter(limits), SecurityWebFiltersOrder.LAST)
                .build();
    }

    private static ServerAuthenticationEntryPoint unauthorized() {
        return (exchange, failure) -> {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hanul\"");
            String reason = failure instanceof org.springframework.security.authentication.BadCredentialsException
                    ? failure.getMessage()
                    : "This endpoint needs an API key: send it as 'Authorization: Bearer <key>' (OpenAI clients: "
                            + "api_key). An admin creates keys with POST /api/admin/keys or 'hanul keys create'.";
            return Mono.error(new ResponseStatusException(HttpStatus.UNAUTHORIZED, reason));
        };
    }

    private static ServerAccessDeniedHandler forbidden() {
        return (exchange, denied) -> Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
                "This API key may not " + exchange.getRequest().getMethod() + " "
                        + exchange.getRequest().getPath().value() + "."));
    }

    private static CorsConfigurationSource cors(SecurityProperties.Cors cors) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!cors.allowedOrigins().isEmpty()) {
            CorsConfiguration configuration = new CorsConfiguration();
            configuration.setAllowedOrigins(cors.allowedOrigins());
            configuration.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
            configuration.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
                    HttpHeaders.ACCEPT, "X-Tenant-Id"));
            configuration.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION));
            // Keys travel in the Authorization header, never in cookies, so browsers need not send credentials.
            configuration.setAllowCredentials(false);
            configuration.setMaxAge(3600L);
            source.registerCorsConfiguration("/**", configuration);
        }
        return source;
    }
}
