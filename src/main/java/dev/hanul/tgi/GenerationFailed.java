package dev.hanul.tgi;

/** The engine failed while generating: TGI's GenerationError (424, error_type "generation"). */
class GenerationFailed extends RuntimeException {

    GenerationFailed(String message) {
        super(message);
    }
}
