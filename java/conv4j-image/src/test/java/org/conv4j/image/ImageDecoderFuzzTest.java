package org.conv4j.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.conv4j.fuzz.Fuzzer;
import org.conv4j.fuzz.HostileImages;
import org.junit.jupiter.api.Test;

/**
 * The image decoding path on 10,000 mutated PNG, JPEG and BMP files ({@link HostileImages}): the
 * decoder returns an image within its pixel limit that {@link Planes} converts in gray and RGB, or
 * throws {@link ImageFormatException} or {@link ImageTooLargeException} whose printable message names
 * the image; nothing else, no allocation past the limit's reach, no hang.
 */
class ImageDecoderFuzzTest {
    private static final String NAME = "fuzz-input";
    private static final long MAX_PIXELS = 1 << 16;

    @Test
    void mutatedImagesDecodeWithinTheLimitOrFailAsDocumented() throws IOException {
        List<HostileImages.Seed> seeds = HostileImages.seeds();
        List<byte[]> all = seeds.stream().map(HostileImages.Seed::bytes).toList();
        ImageDecoder decoder = new ImageDecoder(MAX_PIXELS);
        int[] outcomes = new int[3]; // decoded, corrupt, too large
        // 2^16 pixels decode to at most 512 KiB (16-bit RGBA); the JDK's readers add their buffers
        Fuzzer.of("image", 10_000).maxAllocatedBytes(32L << 20).run(
                (rnd, i) -> HostileImages.mutate(rnd, seeds.get(i % seeds.size()), all),
                (input, i) -> {
                    try {
                        BufferedImage img = decoder.decode(input, NAME);
                        int w = img.getWidth(), h = img.getHeight();
                        assertTrue((long) w * h <= MAX_PIXELS, w + " x " + h + " decoded");
                        for (int c : new int[] {1, 3}) Planes.toPlanes(img, c, new byte[c * w * h], 0);
                        outcomes[0]++;
                    } catch (ImageFormatException e) {
                        assertNamesTheImage(e.getMessage(), e.fault());
                        outcomes[1]++;
                    } catch (ImageTooLargeException e) {
                        assertNamesTheImage(e.getMessage(), e.fault());
                        assertTrue((long) e.width() * e.height() > MAX_PIXELS, e.getMessage());
                        outcomes[2]++;
                    }
                });
        int n = outcomes[0] + outcomes[1] + outcomes[2];
        assertTrue(outcomes[0] > n / 50 && outcomes[1] > n / 50 && outcomes[2] > 0,
                "decoded, corrupt, too large: " + java.util.Arrays.toString(outcomes) + ": the mutations reach every outcome");
    }

    private static void assertNamesTheImage(String message, String fault) {
        assertTrue(message.equals(NAME + ": " + fault), "names the image: " + message);
        assertTrue(fault.length() <= 300 && fault.chars().noneMatch(Character::isISOControl), "a short printable line: " + fault);
    }
}
