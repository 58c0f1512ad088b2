package org.trapline.inference.crop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class BoxCropTest {

    @Test
    void aSquareAroundTheBoxCentreWithItsMargin() {
        BoxCrop crop = new BoxCrop(0.1f, true);
        // 800 x 400 frame, box at (200, 100) 100 x 50 pixels: centre (250, 125), side 100 * 1.2 = 120
        assertEquals(new CropRegion(190, 65, 120, 120), crop.region(800, 400, 0.25f, 0.25f, 0.125f, 0.125f));
        // no margin: the longer side
        assertEquals(new CropRegion(200, 75, 100, 100), new BoxCrop(0, true).region(800, 400, 0.25f, 0.25f, 0.125f, 0.125f));
    }

    @Test
    void notSquareTheBoxItselfWithItsMargin() {
        assertEquals(new CropRegion(200, 100, 100, 50), new BoxCrop(0, false).region(800, 400, 0.25f, 0.25f, 0.125f, 0.125f));
        assertEquals(new CropRegion(190, 95, 120, 60), new BoxCrop(0.1f, false).region(800, 400, 0.25f, 0.25f, 0.125f, 0.125f));
    }

    @Test
    void pastTheFrameIsPaddedAndTheAnimalStaysCentred() {
        // left half red, right half blue; a box in the top-left corner
        BufferedImage frame = new BufferedImage(200, 100, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = frame.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 100, 100);
        g.setColor(Color.BLUE);
        g.fillRect(100, 0, 100, 100);
        g.dispose();
        BoxCrop crop = new BoxCrop(0, true);
        CropRegion region = crop.region(200, 100, 0, 0, 0.2f, 0.4f);  // 40 x 40 at the corner
        assertEquals(new CropRegion(0, 0, 40, 40), region);
        CropRegion wide = crop.region(200, 100, 0, 0, 0.5f, 0.2f);   // 100 x 20: a 100 square centred on y = 10
        assertEquals(new CropRegion(0, -40, 100, 100), wide);
        BufferedImage drawn = BoxCrop.render(frame, wide, 50);
        assertEquals(50, drawn.getWidth());
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, drawn.getType());
        assertEquals(BoxCrop.PADDING.getRGB(), drawn.getRGB(25, 5), "above the frame: padding");
        assertEquals(Color.RED.getRGB(), drawn.getRGB(25, 30), "the frame");
        assertEquals(BoxCrop.PADDING.getRGB(), crop.crop(frame, 0.9f, 0.9f, 0.2f, 0.2f, 20).getRGB(19, 19), "past the corner");
    }

    @Test
    void drawnAtTheInputSize() {
        BufferedImage frame = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        BufferedImage drawn = new BoxCrop(0.1f, true).crop(frame, 0.1f, 0.1f, 0.5f, 0.3f, 224);
        assertEquals(224, drawn.getWidth());
        assertEquals(224, drawn.getHeight());
    }

    @Test
    void aMarginOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BoxCrop(-0.1f, true));
    }
}
