package org.trapline.inference.pixels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class ResizeTest {

    @Test
    void scaledToTheSizeAndTypeAsked() {
        BufferedImage picture = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        BufferedImage grey = Resize.scaled(picture, 10, 5, BufferedImage.TYPE_BYTE_GRAY, Resize.Interpolation.BICUBIC);
        assertEquals(10, grey.getWidth());
        assertEquals(5, grey.getHeight());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, grey.getType());
    }

    @Test
    void theCentreCropKeepsTheCentreOfAWidePicture() {
        // a wide picture, black but for its green middle half: the crop is the middle
        BufferedImage wide = new BufferedImage(400, 100, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = wide.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(100, 0, 200, 100);
        g.dispose();
        BufferedImage crop = Resize.centreCrop(wide, 56);
        assertEquals(56, crop.getWidth());
        assertEquals(56, crop.getHeight());
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, crop.getType());
        assertEquals(Color.GREEN.getRGB(), crop.getRGB(0, 28));
        assertEquals(Color.GREEN.getRGB(), crop.getRGB(55, 28));
    }
}
