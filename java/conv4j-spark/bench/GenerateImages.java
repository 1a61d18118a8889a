import java.awt.image.BufferedImage;
import java.io.File;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes N seeded W x H (default 1920x1080) RGB JPEGs (a smooth colour field plus noise, compressing like a
 * photo) into DIR.
 * Usage: java GenerateImages.java DIR N [W H]   (a source-file program: no build step)
 */
public class GenerateImages {
    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]);
        int n = Integer.parseInt(args[1]), w = args.length > 3 ? Integer.parseInt(args[2]) : 1920,
            h = args.length > 3 ? Integer.parseInt(args[3]) : 1080;
        if (!dir.isDirectory() && !dir.mkdirs()) throw new IllegalStateException("cannot create " + dir);
        int[] row = new int[w];
        for (int i = 0; i < n; i++) {
            SplittableRandom rnd = new SplittableRandom(i);
            double fx = 2 + rnd.nextDouble() * 6, fy = 2 + rnd.nextDouble() * 6, ph = rnd.nextDouble() * 6.28;
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double u = Math.sin(fx * x / w * 6.28 + ph) * Math.cos(fy * y / h * 6.28);
                    int r = px(128 + 100 * u + rnd.nextInt(17) - 8), g = px(128 + 90 * Math.sin(u * 3 + ph) + rnd.nextInt(17) - 8),
                        b = px(255.0 * y / h + rnd.nextInt(17) - 8);
                    row[x] = r << 16 | g << 8 | b;
                }
                img.setRGB(0, y, w, 1, row, 0, w);
            }
            ImageIO.write(img, "jpeg", new File(dir, String.format("img%04d.jpg", i)));
        }
    }

    private static int px(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
