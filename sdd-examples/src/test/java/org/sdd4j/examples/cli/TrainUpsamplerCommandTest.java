package org.sdd4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.edit.GuidedUpsampler;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.manipulator.ResidualManipulator;

class TrainUpsamplerCommandTest {

    @Test
    void trainsAnUpsamplerAndNeverWritesIntoAForeignFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("up");
        Cli.Run r = Cli.run("train-upsampler", "--resolution", "16", "--sizes", "64", "--steps", "2", "--batch", "1",
                "--data-size", "40", "--blur", "0.75", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("upsampler written to").contains("learned").contains("bilinear");
        assertThat(GuidedUpsampler.check(out, 16).at("/training/sizes/0").asInt()).isEqualTo(64);
        assertThat(GuidedUpsampler.check(out, 16).at("/training/blur").asDouble()).isEqualTo(0.75);
        Path foreign = dir.resolve("mine");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "keep me");
        Cli.Run refused = Cli.run("train-upsampler", "--resolution", "16", "--sizes", "64", "--steps", "1", "--batch",
                "1", "--data-size", "40", "--out", foreign.toString());
        assertThat(refused.status()).isNotZero();
        assertThat(Files.readString(foreign.resolve("notes.txt"))).isEqualTo("keep me");
        assertThat(foreign.resolve("manifest.json")).doesNotExist();
        // a size not above the model resolution is refused before any training
        assertThat(Cli.run("train-upsampler", "--resolution", "32", "--sizes", "32", "--out",
                dir.resolve("x").toString()).err()).contains("must exceed the resolution 32");
        assertThat(Cli.run("train-upsampler", "--resolution", "16", "--sizes", "64", "--blur", "9", "--out",
                dir.resolve("y").toString()).err()).contains("blur must be in [0, 4]");
        assertThat(dir.resolve("y")).doesNotExist();
    }

    /** A bundle with (untrained) edits at a resolution, named after the first. */
    private static Path bundle(Path dir, int resolution, String... edits) {
        Path b = dir.resolve(edits[0] + resolution);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (String edit : edits) {
                ResidualManipulator r = new ResidualManipulator(8);
                r.initialize(m);
                var header = Json.object();
                header.put("resolution", resolution);
                EditorBundle.addEdit(new EditorBundle.Target(b, false, false), edit, Json.object(),
                        new EditorBundle.WeightsHeader(ResidualManipulator.NAME, 8, resolution), r, header);
            }
        }
        return b;
    }

    @Test
    void fineTunesToAnEditAndTheEditCommandUsesTheResult(@TempDir Path dir) throws Exception {
        Path fwd = bundle(dir, 16, "smiling", "glasses");
        Path rev = bundle(dir, 16, "frowning");
        Path from = dir.resolve("from");
        String[] common = {"--resolution", "16", "--sizes", "64", "--steps", "1", "--batch", "1", "--data-size", "400"};
        Cli.Run generic = Cli.run(concat(new String[] {"train-upsampler", "--out", from.toString()}, common));
        assertThat(generic.status()).as(generic.err()).isZero();
        Path tuned = dir.resolve("tuned");
        String[] tune = {"train-upsampler", "--editor", fwd.toString(), "--edit", "smiling", "--reverse-editor",
            rev.toString(), "--target-captions", "smiling|happy", "--pairs", "16", "--from", from.toString()};
        Path shipped = dir.resolve("shipped");
        Cli.Run r = Cli.run(concat(concat(tune, common), new String[] {"--out", tuned.toString(), "--bundle-out",
            shipped.toString()}));
        assertThat(r.status()).as(r.err()).isZero();
        // the copy puts the edit back by the new upsampler and keeps the other edit as it was
        com.fasterxml.jackson.databind.JsonNode copy = EditorBundle.readVerified(shipped);
        assertThat(copy.at("/edits/smiling/putBack").asText()).isEqualTo("LEARNED");
        assertThat(copy.at("/edits/smiling/upsamplerNetwork/kind").asText()).isEqualTo("subpixel");
        assertThat(copy.at("/edits/glasses/putBack").isMissingNode()).isTrue();
        assertThat(Files.readAllBytes(shipped.resolve(copy.at("/edits/smiling/upsampler").asText()))).isEqualTo(
                Files.readAllBytes(GuidedUpsampler.weightsFile(tuned, GuidedUpsampler.check(tuned, 16))));
        assertThat(Files.readAllBytes(shipped.resolve(copy.at("/edits/glasses/weights").asText()))).isEqualTo(
                Files.readAllBytes(EditorBundle.weightsFile(fwd, "glasses")));
        assertThat(r.out()).contains("16 pairs made").contains("upsampler for \"smiling\" written to")
                .contains("before").contains("after");
        assertThat(GuidedUpsampler.check(tuned, 16).path("edit").asText()).isEqualTo("smiling");
        assertThat(GuidedUpsampler.check(tuned, 16).at("/pairs/reverseEdit").asText()).isEqualTo("frowning");
        // the edit command carries the edit with it; the bundle is left as it was
        String manifest = Files.readString(fwd.resolve("manifest.json"));
        Path face = dir.resolve("in/face.png");
        Files.createDirectories(face.getParent());
        ImageIO.write(new FaceWorld(5, 10, 64).face(1).image(), "png", face.toFile());
        Cli.Run edited = Cli.run("edit", "--editor", fwd.toString(), "--edit", "smiling", "--upsampler",
                tuned.toString(), "--out", dir.resolve("out").toString(), face.toString());
        assertThat(edited.status()).as(edited.err()).isZero();
        assertThat(ImageIO.read(dir.resolve("out/face.png").toFile()).getWidth()).isEqualTo(64);
        assertThat(Files.readString(fwd.resolve("manifest.json"))).isEqualTo(manifest);
        Cli.Run fromCopy = Cli.run("edit", "--editor", shipped.toString(), "--edit", "smiling", "--out",
                dir.resolve("out3").toString(), face.toString());
        assertThat(fromCopy.status()).as(fromCopy.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("out3/face.png"))).isEqualTo(Files.readAllBytes(
                dir.resolve("out/face.png")));
        // without target colours: the same edit for a bundle that records none; an export cannot drop them
        Cli.Run plain = Cli.run("edit", "--editor", fwd.toString(), "--edit", "smiling", "--out",
                dir.resolve("out4").toString(), face.toString());
        Cli.Run noColours = Cli.run("edit", "--editor", fwd.toString(), "--edit", "smiling", "--no-target-colours",
                "--out", dir.resolve("out5").toString(), face.toString());
        assertThat(noColours.status()).as(noColours.err()).isZero();
        assertThat(plain.status()).as(plain.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("out5/face.png"))).isEqualTo(Files.readAllBytes(
                dir.resolve("out4/face.png")));
        assertThat(Cli.run("edit", "--editor", fwd.toString(), "--edit", "smiling", "--no-target-colours",
                "--backend", "tensorflow", "--out", dir.resolve("out6").toString(), face.toString()).err())
                .contains("--no-target-colours needs an editor bundle");
        assertThat(dir.resolve("out6/face.png")).doesNotExist();
        // an existing bundle is never written into
        String copied = Files.readString(shipped.resolve("manifest.json"));
        Cli.Run again = Cli.run(concat(concat(tune, common), new String[] {"--out", dir.resolve("tuned2").toString(),
            "--bundle-out", shipped.toString()}));
        assertThat(again.err()).contains("is an editor bundle already");
        assertThat(Files.readString(shipped.resolve("manifest.json"))).isEqualTo(copied);
        assertThat(dir.resolve("tuned2")).doesNotExist();
        // what is missing or does not fit is named before any work
        assertThat(Cli.run(concat(concat(new String[] {"train-upsampler", "--editor", fwd.toString(), "--edit",
            "smiling", "--reverse-editor", rev.toString()}, common), new String[] {"--out",
            dir.resolve("a").toString()})).err()).contains("--target-captions");
        Path wide = bundle(dir, 32, "smiling");
        assertThat(Cli.run(concat(concat(new String[] {"train-upsampler", "--editor", wide.toString(), "--edit",
            "smiling", "--reverse-editor", rev.toString(), "--target-captions", "smiling"}, common),
            new String[] {"--out", dir.resolve("b").toString()})).err()).contains("edits at 32 px");
        assertThat(Cli.run("edit", "--editor", wide.toString(), "--edit", "smiling", "--upsampler", tuned.toString(),
                "--out", dir.resolve("out2").toString(), face.toString()).err()).contains("carries edits from 16 px");
        String fromManifest = Files.readString(from.resolve("manifest.json"));
        assertThat(Cli.run(concat(concat(tune, common), new String[] {"--out", from.toString()})).err())
                .contains("is the upsampler the fine-tune starts from");
        assertThat(Files.readString(from.resolve("manifest.json"))).isEqualTo(fromManifest);
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
        assertThat(dir.resolve("out2/face.png")).doesNotExist();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
