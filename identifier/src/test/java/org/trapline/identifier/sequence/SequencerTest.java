package org.trapline.identifier.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.schema.CameraSequence;

class SequencerTest {

    static final Instant T0 = Instant.parse("2026-06-01T04:00:00Z");

    @Test
    void framesCloserThanTheGapShareAnEventPerCamera() {
        Sequencer sequencer = new Sequencer(Duration.ofSeconds(60), 100);
        CameraSequence first = sequencer.next("cam-1", T0, List.of());
        CameraSequence second = sequencer.next("cam-1", T0.plusSeconds(45), List.of());
        CameraSequence third = sequencer.next("cam-1", T0.plusSeconds(100), List.of());  // 55 s after the last: same burst
        CameraSequence otherCamera = sequencer.next("cam-2", T0.plusSeconds(50), List.of());
        CameraSequence later = sequencer.next("cam-1", T0.plusSeconds(161), List.of());  // 61 s after the last: a new event
        assertEquals("cam-1@2026-06-01T04:00:00Z", first.getEventId());
        assertEquals(first.getEventId(), second.getEventId());
        assertEquals(first.getEventId(), third.getEventId());
        assertEquals(3, third.getFrames());
        assertNotEquals(first.getEventId(), otherCamera.getEventId());
        assertEquals("cam-1@2026-06-01T04:02:41Z", later.getEventId());
        assertEquals(1, later.getFrames());
    }

    @Test
    void aRestoredSequenceContinuesAfterARestart() {
        Sequencer before = new Sequencer(Duration.ofSeconds(60), 100);
        before.next("cam-1", T0, List.of());
        CameraSequence kept = before.next("cam-1", T0.plusSeconds(30), List.of());
        Sequencer after = new Sequencer(Duration.ofSeconds(60), 100);
        after.restore(kept);
        assertEquals(kept.getEventId(), after.next("cam-1", T0.plusSeconds(80), List.of()).getEventId());
        assertNotEquals(kept.getEventId(), new Sequencer(Duration.ofSeconds(60), 100).next("cam-1", T0.plusSeconds(80), List.of()).getEventId(),
                "without the kept sequence the same frame would open a new event");
    }
}
