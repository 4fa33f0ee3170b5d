package dev.hanul.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.TestModels;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTheStoriesModel() {
        try (GgufFile gguf = GgufFile.open(TestModels.require(TestModels.STORIES))) {
            assertThat(gguf.version()).isEqualTo(3);
            assertThat(gguf.getString("general.architecture")).isEqualTo("llama");
            assertThat(gguf.getInt("llama.block_count")).isEqualTo(5);
            assertThat(gguf.getStringArray("tokenizer.ggml.tokens")).hasSize(512);
            GgufTensor embedding = gguf.tensor("token_embd.weight");
            assertThat(embedding.type()).isEqualTo(GgmlType.F32);
            assertThat(embedding.shape()).containsExactly(64, 512);
            assertThat(embedding.data().byteSize()).isEqualTo(64L * 512 * 4);
        }
    }

    @Test
    void readsTheF16ModelWithTheFullLlamaVocabulary() {
        try (GgufFile gguf = GgufFile.open(TestModels.require(TestModels.TINY_RANDOM))) {
            assertThat(gguf.getStringArray("tokenizer.ggml.tokens")).hasSize(32000);
            assertThat(gguf.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgmlType.F16);
        }
    }

    @Test
    void writerAndReaderRoundTripMetadataAndTensors() {
        byte[] q8 = new byte[2 * 34];
        q8[0] = 0x00;
        q8[1] = 0x3c; // f16 1.0
        q8[2] = 5;
        Path file = dir.resolve("round.gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUInt32("llama.block_count", 7)
                .putFloat32("llama.rope.freq_base", 500000f)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putStrings("tokenizer.ggml.tokens", new String[] {"<s>", "안녕", "🦙"})
                .putFloats("tokenizer.ggml.scores", new float[] {0f, -1.5f, 2f})
                .putInts("tokenizer.ggml.token_type", new int[] {3, 1, 1})
                .addTensor("a", GgmlType.Q8_0, new long[] {64}, q8)
                .addTensor("b", GgmlType.F32, new long[] {3, 1}, new byte[12])
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.getInt("llama.block_count")).isEqualTo(7);
            assertThat(gguf.getFloat("llama.rope.freq_base", 0)).isEqualTo(500000f);
            assertThat(gguf.getBoolean("tokenizer.ggml.add_bos_token", false)).isTrue();
            assertThat(gguf.getStringArray("tokenizer.ggml.tokens")).containsExactly("<s>", "안녕", "🦙");
            assertThat(gguf.getFloatArray("tokenizer.ggml.scores")).containsExactly(0f, -1.5f, 2f);
            assertThat(gguf.getIntArray("tokenizer.ggml.token_type")).containsExactly(3, 1, 1);
            assertThat(gguf.tensor("a").data().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(q8);
            assertThat(gguf.tensor("b").shape()).containsExactly(3, 1);
            assertThat(gguf.tensor("b").data().address() % GgufFile.DEFAULT_ALIGNMENT).isZero();
        }
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = dir.resolve("nope.gguf");
        assertThatThrownBy(() -> GgufFile.open(missing))
                .isInstanceOf(GgufException.class)
                .hasMessageContaining("not found").hasMessageContaining("nope.gguf");
    }

    @Test
    void truncatedFileIsReportedAsTruncated() throws IOException {
        Path whole = TestModels.require(TestModels.STORIES);
        byte[] bytes = Files.readAllBytes(whole);
        for (int length : new int[] {0, 3, 10, 1000, bytes.length / 2, bytes.length - 1}) {
            Path cut = dir.resolve("cut-" + length + ".gguf");
            Files.write(cut, Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> GgufFile.open(cut))
                    .as("cut at %d bytes", length)
                    .isInstanceOf(GgufException.class)
                    .hasMessageContaining(cut.toString())
                    .hasMessageMatching("(?s).*(truncated|not a GGUF file).*");
        }
    }

    @Test
    void wrongMagicAndVersionAreNamed() throws IOException {
        Path text = dir.resolve("model.gguf");
        Files.writeString(text, "this is not a model at all");
        assertThatThrownBy(() -> GgufFile.open(text)).hasMessageContaining("not a GGUF file");

        Path future = dir.resolve("future.gguf");
        Files.write(future, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x46554747).putInt(9).putLong(0).putLong(0).array());
        assertThatThrownBy(() -> GgufFile.open(future)).hasMessageContaining("GGUF version 9 is not supported");
    }

    @Test
    void corruptLengthsAreCaughtBeforeAllocating() throws IOException {
        Path corrupt = dir.resolve("corrupt.gguf");
        Files.write(corrupt, ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x46554747).putInt(3).putLong(0).putLong(1).putLong(Long.MAX_VALUE / 2).array());
        assertThatThrownBy(() -> GgufFile.open(corrupt))
                .isInstanceOf(GgufException.class)
                .hasMessageContaining("corrupt");

        Path manyTensors = dir.resolve("many.gguf");
        Files.write(manyTensors, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x46554747).putInt(3).putLong(-1).putLong(0).array());
        assertThatThrownBy(() -> GgufFile.open(manyTensors)).hasMessageContaining("tensor count");
    }
}
