package org.conv4j.image;

import static org.conv4j.image.ImageTensorsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecsTest {
    @Test
    void parsesGalleryNamesAndGenerators() {
        List<Kernel> ks = KernelSpecs.parse("gaussian:sigma=2,sobel:dx=1:ksize=5,sharpen,sobel:dy=1,gabor:sigma=2:lambda=6:orientations=3");
        assertEquals(List.of(Kernels.gaussian(2), Kernels.sobel(1, 0, 5), KernelGallery.byName("sharpen"), Kernels.sobel(0, 1, 3)),
                ks.subList(0, 4));
        assertEquals(Kernels.gaborBank(3, 2, 6), ks.subList(4, 7));
        assertEquals(List.of(Kernels.laplacian(1), Kernels.box(3), Kernels.log(1.5), Kernels.scharr(0, 1)),
                KernelSpecs.parse("laplacian:ksize=1, box, log:sigma=1.5, scharr:dy=1"));
        assertEquals(1, KernelSpecs.parse("sobel-x,sobel-x").size());
    }

    @Test
    void rejectsNamingTheEntry() {
        assertMessage(() -> KernelSpecs.parse("blurry"), "unknown kernel 'blurry'; known: identity, sobel-x");
        assertMessage(() -> KernelSpecs.parse("gaussian"), "kernel 'gaussian': needs sigma=VALUE");
        assertMessage(() -> KernelSpecs.parse("gaussian:sigma=x"), "sigma 'x' is not a number");
        assertMessage(() -> KernelSpecs.parse("sobel:ksize=4"), "kernel 'sobel:ksize=4': sobel ksize must be 3, 5 or 7, got 4");
        assertMessage(() -> KernelSpecs.parse("box:sigma=2"), "'sigma=2' is not one of box's parameters [size]");
        assertMessage(() -> KernelSpecs.parse("box:size=2.5"), "size must be an integer, got 2.5");
    }

    @Test
    void kernelFilesAcceptFractions(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("avg.txt");
        Files.writeString(f, "# a 3x3 mean\n1/9 1/9 1/9\n1/9, 1/9, 1/9\n1/9\t1/9 0.5/4.5\n");
        Kernel k = KernelFile.read(f).get(0);
        assertEquals("avg", k.name());
        for (float v : k.weights()) assertEquals(1f / 9, v);
        Files.writeString(f, "1/0 1\n");
        assertMessage(() -> KernelFile.read(f), "avg.txt: line 1: '1/0' divides by zero");
        Files.writeString(f, "1/x 1\n");
        assertMessage(() -> KernelFile.read(f), "'1/x' is not a number or a fraction a/b");
    }

    @Test
    void choosingForTheToolsNamesTheFlags(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("sharpen.txt"), b = dir.resolve("b.txt");
        Files.writeString(a, "1 2\n");
        Files.writeString(b, "3\n");
        assertMessage(() -> KernelGallery.choose("sharpen", List.of(a)), "--kernel-file " + a + ": kernel name 'sharpen' is already taken (by --kernels)");
        assertMessage(() -> KernelGallery.choose("nope", List.of()), "--kernels: unknown kernel 'nope'");
        assertEquals(3, KernelGallery.choose("identity", List.of(dir.resolve("b.txt"), dir.resolve("sharpen.txt"))).size() + 0 * 1
                - 0);
        assertEquals(KernelGallery.all(), KernelGallery.choose(null, List.of()));
    }
}
