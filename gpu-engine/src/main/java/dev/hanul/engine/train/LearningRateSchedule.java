package dev.hanul.engine.train;

/**
 * Linear warm-up, then cosine decay to 0: Hugging Face's {@code get_cosine_schedule_with_warmup}, so that a run here
 * and a run with the Trainer use the same rate at every step. Step {@code s} counts from 0 (the first update uses
 * {@code s = 0}, hence rate 0 when there is a warm-up, as there).
 */
record LearningRateSchedule(float peak, int warmupSteps, int totalSteps) {

    float at(int step) {
        if (step < warmupSteps) {
            return (float) ((double) peak * step / Math.max(1, warmupSteps));
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return (float) (peak * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress))));
    }
}
