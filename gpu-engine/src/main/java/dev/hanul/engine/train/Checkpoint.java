package dev.hanul.engine.train;

import dev.hanul.engine.lora.LoraTarget;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A run's whole state in one file: hyper-parameters, the base model's fingerprint, completed steps, and per pair A, B
 * and AdamW's two moments of each, as raw float bits (so a resumed run continues bit for bit; the dropout masks are a
 * function of seed and step, nothing else is random). A CRC32 of the content closes the file. Written to a temporary
 * file, fsync'd, and renamed over the target atomically, so a crash leaves either the old or the new checkpoint.
 */
final class Checkpoint {

    private static final int MAGIC = 0x484e4c43; // "HNLC"
    private static final int VERSION = 1;

    /** What a checkpoint holds; {@code tensors} per pair: A, B, m(A), v(A), m(B), v(B). */
    record Contents(LoraHyperparameters hyperparameters, String fingerprint, int completedSteps,
                    List<float[]> tensors) {
    }

    private Checkpoint() {
    }

    static void write(Path file, LoraHyperparameters hp, String fingerprint, int completedSteps,
                      LoraParameters parameters, AdamW adam) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            try (FileOutputStream stream = new FileOutputStream(temporary.toFile())) {
                CRC32 crc = new CRC32();
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        new CheckedOutputStream(stream, crc), 1 << 16));
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                writeHyperparameters(out, hp);
                out.writeUTF(fingerprint);
                out.writeInt(completedSteps);
                List<LoraPair> pairs = parameters.all();
                out.writeInt(pairs.size());
                for (int i = 0; i < pairs.size(); i++) {
                    for (float[] tensor : new float[][] {pairs.get(i).a, pairs.get(i).b, adam.firstA[i],
                            adam.secondA[i], adam.firstB[i], adam.secondB[i]}) {
                        writeFloats(out, tensor);
                    }
                }
                out.flush();
                new DataOutputStream(stream).writeLong(crc.getValue());
                stream.getFD().sync();
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(parent, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the file is not a checkpoint of this format or is damaged */
    static Contents read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CRC32 crc = new CRC32();
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException(file + " is not a LoRA training checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("%s: checkpoint version %d, this build reads version %d"
                        .formatted(file, version, VERSION));
            }
            LoraHyperparameters hp = readHyperparameters(in);
            String fingerprint = in.readUTF();
            int steps = in.readInt();
            int pairs = in.readInt();
            List<float[]> tensors = new ArrayList<>();
            for (int i = 0; i < 6 * pairs; i++) {
                tensors.add(readFloats(in));
            }
            long expected = crc.getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected || raw.read() != -1) {
                throw new IllegalArgumentException(file + ": checkpoint is damaged (checksum mismatch)");
            }
            return new Contents(hp, fingerprint, steps, tensors);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + ": checkpoint is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeHyperparameters(DataOutputStream out, LoraHyperparameters hp) throws IOException {
        out.writeInt(hp.rank());
        out.writeFloat(hp.alpha());
        out.writeFloat(hp.dropout());
        List<LoraTarget> targets = new ArrayList<>(EnumSet.copyOf(hp.targets()));
        out.writeInt(targets.size());
        for (LoraTarget target : targets) {
            out.writeUTF(target.name());
        }
        out.writeFloat(hp.learningRate());
        out.writeInt(hp.warmupSteps());
        out.writeInt(hp.totalSteps());
        out.writeFloat(hp.weightDecay());
        out.writeFloat(hp.maxGradNorm());
        out.writeInt(hp.gradientAccumulationSteps());
        out.writeInt(hp.sequenceLength());
        out.writeLong(hp.seed());
    }

    private static LoraHyperparameters readHyperparameters(DataInputStream in) throws IOException {
        int rank = in.readInt();
        float alpha = in.readFloat();
        float dropout = in.readFloat();
        int count = in.readInt();
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        for (int i = 0; i < count; i++) {
            targets.add(LoraTarget.valueOf(in.readUTF()));
        }
        return new LoraHyperparameters(rank, alpha, dropout, targets, in.readFloat(), in.readInt(), in.readInt(),
                in.readFloat(), in.readFloat(), in.readInt(), in.readInt(), in.readLong());
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeInt(Float.floatToRawIntBits(v));
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 28)) {
            throw new IOException("implausible tensor length " + n);
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = Float.intBitsToFloat(in.readInt());
        }
        return values;
    }
}
