package org.trapline.runtime.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.javalin.http.Context;
import org.trapline.auth.ApiKeys;

/**
 * Who is calling, by the API key a request presents ({@code X-Api-Key}, or {@code Authorization: Bearer}),
 * against the keys every service reads from the same configuration ({@link ApiKeys}); or, for a page, by the
 * session its user signed in to with a key ({@value #SESSION_COOKIE}, an HttpOnly, SameSite=Strict cookie: no
 * script reads it and no other site's page sends it).
 */
public final class ApiKeyAuth {

    public static final String KEY_HEADER = "X-Api-Key";
    public static final String SESSION_COOKIE = "trapline_session";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final Clock clock;

    public ApiKeyAuth(ApiKeys keys) {
        this(keys, Clock.systemUTC());
    }

    public ApiKeyAuth(ApiKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The key the request presents, if any. */
    public static Optional<String> presented(Context ctx) {
        return Optional.ofNullable(ctx.header(KEY_HEADER))
                .or(() -> Optional.ofNullable(ctx.header("Authorization")).filter(h -> h.startsWith(BEARER))
                        .map(h -> h.substring(BEARER.length())))
                .map(String::trim).filter(key -> !key.isEmpty());
    }

    /** Whoever the presented key belongs to; empty without a key or with an unknown one. */
    public Optional<ApiKeys.Principal> principal(Context ctx) {
        Optional<String> key = presented(ctx);
        if (key.isPresent()) {
            return keys.authenticate(key.get());
        }
        return keys.fromSession(ctx.cookie(SESSION_COOKIE), clock.instant());
    }

    /**
     * Signs a reviewer (or an operator) in for {@code length} with their key: sets the session cookie (Secure where
     * the request came over HTTPS) and returns who it is; a 401 for an unknown key, a 403 for a gateway's (the pages
     * that need a key are the reviewers').
     */
    public ApiKeys.Principal signIn(Context ctx, String key, Duration length) {
        ApiKeys.Principal principal = keys.authenticate(key).orElseThrow(() -> unauthorized(ctx, "unknown API key"));
        if (!principal.reviews()) {
            throw new HttpError(403, GATEWAY_CANNOT_REVIEW);
        }
        String session = keys.session(principal, clock.instant().plus(length));
        ctx.header("Set-Cookie", SESSION_COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + length.toSeconds() + ("https".equalsIgnoreCase(ctx.scheme()) ? "; Secure" : ""));
        return principal;
    }

    /** Ends the page's session: the cookie is cleared. */
    public void signOut(Context ctx) {
        ctx.header("Set-Cookie", SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    /** Whether the request comes with an operator's key. */
    public boolean operator(Context ctx) {
        return principal(ctx).map(ApiKeys.Principal::operator).orElse(false);
    }

    /** Whoever the presented key belongs to, or a 401 that says what was wrong and how to present a key. */
    public ApiKeys.Principal authenticate(Context ctx) {
        Optional<String> key = presented(ctx);
        if (key.isEmpty()) {
            return keys.fromSession(ctx.cookie(SESSION_COOKIE), clock.instant()).orElseThrow(() -> unauthorized(ctx,
                    "no API key: send it as '" + KEY_HEADER + "' or 'Authorization: Bearer', or sign in"));
        }
        return keys.authenticate(key.get()).orElseThrow(() -> unauthorized(ctx, "unknown API key"));
    }

    /**
     * The operator behind the presented key: a 401 ({@code unauthenticated}) without a valid key, a 403
     * ({@code notOperator}) for a gateway's.
     */
    public ApiKeys.Principal requireOperator(Context ctx, String unauthenticated, String notOperator) {
        ApiKeys.Principal principal = principal(ctx).orElseThrow(() -> unauthorized(ctx, unauthenticated));
        if (!principal.operator()) {
            throw new HttpError(403, notOperator);
        }
        return principal;
    }

    /** What a gateway's key is told when it tries to review. */
    static final String GATEWAY_CANNOT_REVIEW = "a gateway's key cannot review: use a reviewer's or an operator's key";

    /** Whoever may review at some site: a 401 without a valid key or session, a 403 for a gateway's key. */
    public ApiKeys.Principal requireReviewer(Context ctx) {
        ApiKeys.Principal principal = authenticate(ctx);
        if (!principal.reviews()) {
            throw new HttpError(403, GATEWAY_CANNOT_REVIEW);
        }
        return principal;
    }

    /**
     * Whoever may review the site, by the presented key: a 401 without a valid key, a 403 for a gateway's key
     * or a reviewer's bound to other sites.
     */
    public ApiKeys.Principal requireReviewer(Context ctx, String siteId) {
        ApiKeys.Principal principal = requireReviewer(ctx);
        if (!principal.mayReview(siteId)) {
            throw new HttpError(403, "'" + principal.name() + "' may not review site '" + siteId + "'");
        }
        return principal;
    }

    /**
     * Whoever may review every site (an operator, or a reviewer bound to {@value ApiKeys#EVERY_SITE}), for what
     * concerns more than one site: {@code why} says so in the 403 a reviewer of some sites gets.
     */
    public ApiKeys.Principal requireReviewerOfEverySite(Context ctx, String why) {
        ApiKeys.Principal principal = requireReviewer(ctx);
        if (!principal.mayReviewEverySite()) {
            throw new HttpError(403, "'" + principal.name() + "' reviews some sites only: " + why);
        }
        return principal;
    }

    private static HttpError unauthorized(Context ctx, String message) {
        ctx.header("WWW-Authenticate", "Bearer");
        return new HttpError(401, message);
    }
}
