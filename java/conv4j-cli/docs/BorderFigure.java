import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/** Puts the top-left corners of two filter outputs side by side, enlarged 3x, with labels. Used by make-border-figure.sh. */
public class BorderFigure {
    public static void main(String[] a) throws Exception {
        BufferedImage zero = ImageIO.read(new File(a[0])), reflect = ImageIO.read(new File(a[1]));
        int cw = 160, ch = 110, z = 3, gap = 12, top = 22;
        BufferedImage out = new BufferedImage(2 * cw * z + gap, ch * z + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(zero.getSubimage(0, 0, cw, ch), 0, top, cw * z, ch * z + top, 0, 0, cw, ch, null);
        g.drawImage(reflect.getSubimage(0, 0, cw, ch), cw * z + gap, top, 2 * cw * z + gap, ch * z + top, 0, 0, cw, ch, null);
        g.setColor(Color.BLACK);
        g.drawString("--border zero (dark rim)", 4, 16);
        g.drawString("--border reflect (filter's default)", cw * z + gap + 4, 16);
        ImageIO.write(out, "png", new File(a[2]));
    }
}
