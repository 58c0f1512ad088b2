package org.trapline.inference.pixels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.junit.jupiter.api.Test;

class PixelTensorTest {

    static BufferedImage twoPixels() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        image.setRGB(0, 0, new Color(255, 0, 51).getRGB());
        image.setRGB(1, 0, new Color(0, 102, 255).getRGB());
        return image;
    }

    @Test
    void planesChannelByChannel() {
        float[] tensor = new float[1 + 6];
        new PixelTensor(Normalisation.UNIT, InputLayout.NCHW).write(twoPixels(), tensor, 1);
        assertEquals(0f, tensor[0]);
        float[] expected = {1f, 0f, 0f, 0.4f, 0.2f, 1f};  // R R, G G, B B
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], tensor[1 + i], 1e-6, "at " + i);
        }
    }

    @Test
    void interleavedPixelByPixel() {
        float[] tensor = new float[6];
        new PixelTensor(Normalisation.UNIT, InputLayout.NHWC).write(twoPixels(), tensor, 0);
        float[] expected = {1f, 0f, 0.2f, 0f, 0.4f, 1f};  // RGB, RGB
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], tensor[i], 1e-6, "at " + i);
        }
    }

    @Test
    void imageNetNormalisation() {
        float[] tensor = new float[6];
        new PixelTensor(Normalisation.IMAGENET, InputLayout.NCHW).write(twoPixels(), tensor, 0);
        assertEquals((1f - 0.485f) / 0.229f, tensor[0], 1e-5);
        assertEquals((0.2f - 0.406f) / 0.225f, tensor[4], 1e-5);
    }

    @Test
    void straightIntoADirectBufferLeavingItsPosition() {
        FloatBuffer tensor = ByteBuffer.allocateDirect(8 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        tensor.position(3);
        new PixelTensor(Normalisation.UNIT, InputLayout.NCHW).write(twoPixels(), tensor, 2);
        assertEquals(3, tensor.position());
        float[] expected = {1f, 0f, 0f, 0.4f, 0.2f, 1f};  // R R, G G, B B, from 2
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], tensor.get(2 + i), 1e-6, "at " + i);
        }
    }

    @Test
    void onlyBgrBytes() {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PixelTensor(Normalisation.UNIT, InputLayout.NHWC).write(rgb, new float[6], 0));
    }
}
