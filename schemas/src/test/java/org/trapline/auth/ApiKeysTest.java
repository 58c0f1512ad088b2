package org.trapline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trapline.config.TraplineConfig;

class ApiKeysTest {

    static final String GATEWAY = ApiKeys.newKey();
    static final String REVIEWER = ApiKeys.newKey();
    static final String EVERYWHERE = ApiKeys.newKey();
    static final String OPERATOR = ApiKeys.newKey();

    static final ApiKeys KEYS = ApiKeys.fromConfig(TraplineConfig.of(Map.of(
            "ingest.gateway.north.key.sha256", ApiKeys.hash(GATEWAY),
            "ingest.gateway.north.cameras", "cam1, cam2",
            "ingest.reviewer.thandi.key.sha256", ApiKeys.hash(REVIEWER),
            "ingest.reviewer.thandi.sites", "north-ridge",
            "ingest.reviewer.lead.key.sha256", ApiKeys.hash(EVERYWHERE),
            "ingest.reviewer.lead.sites", "*",
            "ingest.operator.amara.key.sha256", ApiKeys.hash(OPERATOR))));

    @Test
    void eachRoleMayDoWhatItIsFor() {
        ApiKeys.Principal gateway = KEYS.authenticate(GATEWAY).orElseThrow();
        ApiKeys.Principal reviewer = KEYS.authenticate(REVIEWER).orElseThrow();
        ApiKeys.Principal lead = KEYS.authenticate(EVERYWHERE).orElseThrow();
        ApiKeys.Principal operator = KEYS.authenticate(OPERATOR).orElseThrow();
        assertEquals(ApiKeys.Role.GATEWAY, gateway.role());
        assertTrue(gateway.mayUse("cam1"));
        assertFalse(gateway.mayUse("cam3"));
        assertFalse(gateway.mayReview("north-ridge"), "a gateway's key never reviews");
        assertFalse(gateway.reviews());

        assertEquals(ApiKeys.Role.REVIEWER, reviewer.role());
        assertTrue(reviewer.mayReview("north-ridge"));
        assertFalse(reviewer.mayReview("south"), "only the sites it is bound to");
        assertFalse(reviewer.mayUse("cam1"), "a reviewer's key sends no frames");
        assertTrue(lead.mayReview("south"));

        assertTrue(operator.mayReview("south"));
        assertTrue(operator.mayUse("cam9"));
        assertTrue(KEYS.authenticate("tl_unknown").isEmpty());
    }

    @Test
    void aReviewerWithoutSitesIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> ApiKeys.fromConfig(TraplineConfig.of(Map.of(
                "ingest.reviewer.thandi.key.sha256", ApiKeys.hash(REVIEWER)))));
        assertTrue(e.getMessage().startsWith("ingest.reviewer.thandi.sites must list the sites"), e.getMessage());
    }
}
