package dev.hanul.ingest.text;

/** Kinds of personal data that {@link PiiRedactor} finds, each replaced by its placeholder. */
public enum PiiType {
    EMAIL("[EMAIL]"),
    /** Korean resident registration number (주민등록번호): YYMMDD-GNNNNNN with a valid date. */
    RRN("[RRN]"),
    /** Payment card numbers: 13 to 19 digits that pass the Luhn check. */
    CARD("[CARD]"),
    PHONE("[PHONE]");

    private final String placeholder;

    PiiType(String placeholder) {
        this.placeholder = placeholder;
    }

    public String placeholder() {
        return placeholder;
    }
}
