package org.trapline.identifier.match;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.estimateAffinePartial2D;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.NORM_L2;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.setRNGSeed;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.DMatchVector;
import org.bytedeco.opencv.opencv_core.DMatchVectorVector;
import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_features2d.BFMatcher;
import org.bytedeco.opencv.opencv_features2d.SIFT;
import org.trapline.inference.pixels.Resize;

/**
 * Individuals told apart by their patterns (spots, stripes, scars), as HotSpotter does: SIFT keypoints
 * and descriptors of the crop, matched against each reference with Lowe's ratio test, the matches
 * verified geometrically with RANSAC (a similarity: the same pattern, from another distance and angle); an
 * individual scores as the most inliers any of its references has. Needs no learned weights.
 */
public final class LocalFeatureMatcher implements Matcher {

    /**
     * Tuning: the size crops are brought to (longest side, up or down: small crops hold too few pixels
     * for SIFT's scale space), SIFT's contrast threshold (low: patterns under water or at night are faint),
     * the ratio test, RANSAC's reprojection error in pixels.
     */
    public record Settings(int side, int maxFeatures, double contrastThreshold, double blurSigma, float minKeypointSize,
                           double ratio, double ransacPixels) {
        /**
         * Chosen on the shared manta split (the only data here: no held-out set), where neighbouring
         * values do worse; re-tune them on a species' own labelled photos.
         */
        public static Settings defaults() {
            return new Settings(500, 2000, 0.01, 4.0, 0f, 0.9, 30.0);
        }
    }

    private record Features(float[] points, Mat descriptors, int count) {
    }

    private record Reference(String key, Features features) {
    }

    private static final int RANSAC_SEED = 20_240_601;

    private final Settings settings;
    private final SIFT sift;
    private final BFMatcher bruteForce = new BFMatcher(NORM_L2, false);
    private final List<Reference> references = new ArrayList<>();

    public LocalFeatureMatcher(Settings settings) {
        this.settings = settings;
        this.sift = SIFT.create(settings.maxFeatures(), 3, settings.contrastThreshold(), 10, 1.6, false);
    }

    @Override
    public String name() {
        return "local-features";
    }

    @Override
    public Probe probe(BufferedImage crop) {
        Features query = features(crop);
        return new Probe() {
            @Override
            public List<Match> candidates(int k) {
                return ranked(query, k);
            }

            @Override
            public void enrol(String key) {
                synchronized (LocalFeatureMatcher.this) {
                    references.add(new Reference(key, query));
                }
            }

            @Override
            public Optional<float[]> storable() {
                return Optional.empty();  // keypoints and descriptors are large: recomputed from the crop on start
            }
        };
    }

    @Override
    public boolean enrolStored(String key, float[] features) {
        return false;
    }

    private synchronized List<Match> ranked(Features query, int k) {
        Map<String, Integer> best = new LinkedHashMap<>();
        for (Reference reference : references) {
            best.merge(reference.key(), inliers(query, reference.features()), Math::max);
        }
        List<Match> matches = new ArrayList<>();
        best.forEach((key, inliers) -> matches.add(new Match(key, inliers, name())));
        matches.sort(Comparator.comparingDouble(Match::score).reversed());
        return matches.subList(0, Math.min(k, matches.size()));
    }

    /** Matches that pass the ratio test and agree on one homography. */
    private int inliers(Features query, Features reference) {
        if (query.count() < 2 || reference.count() < 2) {
            return 0;
        }
        List<int[]> good = new ArrayList<>();
        try (DMatchVectorVector knn = new DMatchVectorVector()) {
            bruteForce.knnMatch(query.descriptors(), reference.descriptors(), knn, 2);
            for (long i = 0; i < knn.size(); i++) {
                DMatchVector pair = knn.get(i);
                if (pair.size() == 2 && pair.get(0).distance() < settings.ratio() * pair.get(1).distance()) {
                    good.add(new int[] {pair.get(0).queryIdx(), pair.get(0).trainIdx()});
                }
            }
        }
        if (good.size() < 4) {
            return 0;  // a homography needs four correspondences
        }
        float[] from = new float[good.size() * 2];
        float[] to = new float[good.size() * 2];
        for (int i = 0; i < good.size(); i++) {
            int q = good.get(i)[0];
            int r = good.get(i)[1];
            from[2 * i] = query.points()[2 * q];
            from[2 * i + 1] = query.points()[2 * q + 1];
            to[2 * i] = reference.points()[2 * r];
            to[2 * i + 1] = reference.points()[2 * r + 1];
        }
        // a similarity (rotation, scale, shift): the same pattern from another distance and angle; stricter
        // than a homography, which fits chance matches too easily when there are few
        // RANSAC samples at random from OpenCV's per-thread generator: seeded afresh for every pair, the same
        // crops give the same score whatever was matched before (a rebuilt gallery decides as the live one)
        setRNGSeed(RANSAC_SEED);
        try (Mat src = points(from); Mat dst = points(to); Mat mask = new Mat();
             Mat transform = estimateAffinePartial2D(src, dst, mask, RANSAC, settings.ransacPixels(), 2000, 0.995, 10)) {
            return transform.empty() || mask.empty() ? 0 : countNonZero(mask);
        }
    }

    private static Mat points(float[] xy) {
        Mat mat = new Mat(xy.length / 2, 1, CV_32FC2);
        new FloatPointer(mat.data()).put(xy);
        return mat;
    }

    private Features features(BufferedImage crop) {
        BufferedImage grey = grey(crop);
        try (Mat image = new Mat(grey.getHeight(), grey.getWidth(), CV_8UC1);
             KeyPointVector keypoints = new KeyPointVector(); Mat mask = new Mat()) {
            image.data().put(((DataBufferByte) grey.getRaster().getDataBuffer()).getData());
            if (settings.blurSigma() > 0) {
                // particles in the water and sensor noise are not the animal's pattern
                GaussianBlur(image, image, new Size(0, 0), settings.blurSigma());
            }
            Mat all = new Mat();
            sift.detectAndCompute(image, mask, keypoints, all);
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < keypoints.size(); i++) {
                if (keypoints.get(i).size() >= settings.minKeypointSize()) {
                    kept.add(i);
                }
            }
            float[] points = new float[kept.size() * 2];
            Mat descriptors = new Mat(kept.size(), Math.max(1, all.cols()), all.type());
            for (int j = 0; j < kept.size(); j++) {
                int i = kept.get(j);
                points[2 * j] = keypoints.get(i).pt().x();
                points[2 * j + 1] = keypoints.get(i).pt().y();
                all.row(i).copyTo(descriptors.row(j));
            }
            all.close();
            return new Features(points, descriptors, kept.size());
        }
    }

    /** The crop in shades of grey, its longest side {@code side}, in one Java2D draw. */
    private BufferedImage grey(BufferedImage crop) {
        float scale = (float) settings.side() / Math.max(crop.getWidth(), crop.getHeight());
        return Resize.scaled(crop, Math.max(1, Math.round(crop.getWidth() * scale)),
                Math.max(1, Math.round(crop.getHeight() * scale)), BufferedImage.TYPE_BYTE_GRAY, Resize.Interpolation.BICUBIC);
    }
}
