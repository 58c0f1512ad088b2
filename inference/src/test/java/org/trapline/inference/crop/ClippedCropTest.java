package org.trapline.inference.crop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class ClippedCropTest {

    @Test
    void theBoxWidenedByItsMarginOnEachSide() {
        // 800 x 400, box at (200, 100) 100 x 50 pixels, 10 % of its width and height on each side
        assertEquals(new CropRegion(190, 95, 120, 60), new ClippedCrop(0.1f).region(800, 400, 0.25f, 0.25f, 0.125f, 0.125f));
        assertEquals(new CropRegion(200, 100, 100, 50), new ClippedCrop(0).region(800, 400, 0.25f, 0.25f, 0.125f, 0.125f));
    }

    @Test
    void keptInsideThePictureAtLeastOnePixel() {
        ClippedCrop crop = new ClippedCrop(0.5f);
        assertEquals(new CropRegion(0, 0, 60, 30), crop.region(200, 100, 0, 0, 0.2f, 0.2f), "clipped at the corner");
        assertEquals(new CropRegion(199, 99, 1, 1), new ClippedCrop(0).region(200, 100, 1, 1, 0, 0), "an empty box at the edge");
    }

    @Test
    void cutAtThePicturesOwnPixels() {
        BufferedImage picture = new BufferedImage(200, 100, BufferedImage.TYPE_3BYTE_BGR);
        picture.setRGB(50, 25, 0xff00ff);
        BufferedImage cut = new ClippedCrop(0).crop(picture, 0.25f, 0.25f, 0.5f, 0.5f);
        assertEquals(100, cut.getWidth());
        assertEquals(50, cut.getHeight());
        assertEquals(picture.getRGB(50, 25), cut.getRGB(0, 0), "a view of the picture, not a resized copy");
    }
}
