package dev.hanul.tgi;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * TGI's error body: {@code {"error": "...", "error_type": "validation"}}. Its clients choose the exception to raise
 * from error_type (validation, overloaded, generation, incomplete_generation), so the types are TGI's own.
 */
public record ErrorResponse(String error, @JsonProperty("error_type") String errorType) {
}
