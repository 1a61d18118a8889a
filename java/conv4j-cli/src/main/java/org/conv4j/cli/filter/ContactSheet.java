package org.conv4j.cli.filter;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A labelled grid of the input and every output of one image, each scaled to fit one tile. */
final class ContactSheet {
    private static final int COLUMNS = 3, TILE = 320, GAP = 8, LABEL_SCALE = 2;
    private static final int LABEL_HEIGHT = BitmapFont.HEIGHT * LABEL_SCALE + 2 * GAP;
    private static final int BACKGROUND = 0x202020, INK = 0xFFFFFF;

    private ContactSheet() {
    }

    /** {@code labels.get(i)} is drawn under {@code images.get(i)}. */
    static BufferedImage of(List<BufferedImage> images, List<String> labels) {
        BufferedImage first = images.get(0);
        double scale = Math.min(1.0, (double) TILE / Math.max(first.getWidth(), first.getHeight()));
        int tw = Math.max(1, (int) Math.round(first.getWidth() * scale));
        int th = Math.max(1, (int) Math.round(first.getHeight() * scale));
        int cols = Math.min(COLUMNS, images.size()), rows = (images.size() + cols - 1) / cols;
        int cellW = tw + GAP, cellH = th + LABEL_HEIGHT;
        BufferedImage sheet = new BufferedImage(GAP + cols * cellW, GAP + rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(new java.awt.Color(BACKGROUND));
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            for (int i = 0; i < images.size(); i++) {
                int x = GAP + (i % cols) * cellW, y = GAP + (i / cols) * cellH;
                g.drawImage(images.get(i), x, y, tw, th, null);
                String label = fit(labels.get(i), tw);
                BitmapFont.draw(sheet, label, x, y + th + GAP, LABEL_SCALE, INK);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    private static String fit(String label, int width) {
        String l = label;
        while (l.length() > 1 && BitmapFont.width(l, LABEL_SCALE) > width) l = l.substring(0, l.length() - 1);
        return l;
    }
}
