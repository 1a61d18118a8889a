package org.conv4j.cli.filter;

import java.awt.image.BufferedImage;

/**
 * One decoded input image: {@code planes} holds C planes of H*W pixel bytes 0..255 (CHW), and
 * {@code original} is the image itself when a contact sheet needs it (else null).
 */
record DecodedImage(ImageSource source, byte[] planes, int h, int w, BufferedImage original) {
}
