package dev.hanul.engine.backend.cuda;

/** A CUDA driver call that failed, named with the driver's error name (CUDA_ERROR_...). */
public final class CudaException extends RuntimeException {

    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
