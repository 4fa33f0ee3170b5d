package dev.hanul.tgi;

/**
 * The body of TGI's compat route {@code POST /}: a {@link GenerateRequest} plus whether to stream the answer.
 *
 * @param stream true for /generate_stream's server-sent events, false or absent for /generate's answer
 */
public record CompatGenerateRequest(String inputs, GenerateRequest.Parameters parameters, Boolean stream) {

    GenerateRequest generateRequest() {
        return new GenerateRequest(inputs, parameters);
    }

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}
