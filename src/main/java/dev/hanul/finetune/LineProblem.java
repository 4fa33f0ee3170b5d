package dev.hanul.finetune;

/** Why one line of a training file cannot be trained on: what the 400 lists, line by line. */
record LineProblem(int line, String reason) {

    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}
