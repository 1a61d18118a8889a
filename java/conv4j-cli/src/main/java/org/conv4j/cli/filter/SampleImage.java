package org.conv4j.cli.filter;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The embedded default input: a 480x320 RGB image synthesized from integer arithmetic (no files, no
 * fonts), so every run on every machine filters the same pixels. Gradients show what smoothing keeps,
 * shapes and text give the edge kernels straight, curved and diagonal edges in every direction.
 */
public final class SampleImage {
    public static final int WIDTH = 480, HEIGHT = 320;

    private SampleImage() {
    }

    public static BufferedImage create() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int r = x * 255 / (WIDTH - 1), g = y * 255 / (HEIGHT - 1), b = 255 - (x + y) * 255 / (WIDTH + HEIGHT - 2);
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Graphics2D gr = img.createGraphics();
        try {
            gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            gr.setColor(new Color(20, 20, 20));
            gr.fillRect(24, 24, 128, 96);
            gr.setColor(new Color(250, 240, 60));
            gr.fillOval(184, 28, 112, 112);
            gr.setColor(new Color(30, 90, 220));
            gr.fillPolygon(new int[] {344, 456, 400}, new int[] {128, 128, 24}, 3);
            for (int i = 0; i < 8; i++) { // checkerboard: every edge orientation at 1-pixel sharpness
                for (int j = 0; j < 8; j++) {
                    gr.setColor((i + j) % 2 == 0 ? Color.WHITE : Color.BLACK);
                    gr.fillRect(24 + i * 12, 160 + j * 12, 12, 12);
                }
            }
            gr.setColor(Color.WHITE);
            for (int i = 0; i < 10; i++) gr.drawLine(150 + i * 10, 290, 200 + i * 10, 160); // diagonal lines
            gr.setColor(new Color(200, 30, 30));
            gr.fillRect(290, 170, 170, 120);
        } finally {
            gr.dispose();
        }
        BitmapFont.draw(img, "CONV4J", 300, 186, 4, 0xFFFFFF);
        BitmapFont.draw(img, "3X3 FILTERS", 300, 236, 2, 0xFFFF80);
        BitmapFont.draw(img, "0123456789", 300, 262, 2, 0x000000);
        return img;
    }
}
