package dev.hanul.chat;

/** The RAG tests' corpus: three short documents of which only the cafeteria one answers {@link #QUESTION}. */
public final class OfficeDocuments {

    /** An /api/ingest/text body. */
    public static final String JSON = """
            {"documents": [
              {"id": "cafeteria", "source": "cafeteria.txt",
               "text": "The Hanul office cafeteria serves bibimbap on Wednesdays."},
              {"id": "parking", "source": "parking.txt",
               "text": "Visitors park in the underground garage on level B2."},
              {"id": "library", "source": "library.txt",
               "text": "The company library lends books for three weeks."}]}""";

    public static final String QUESTION = "What does the cafeteria serve on Wednesdays?";

    private OfficeDocuments() {
    }
}
