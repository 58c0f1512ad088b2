package org.trapline.runtime.http;

import java.util.Optional;

import io.javalin.http.Context;
import org.trapline.auth.ApiKeys;

/**
 * Who is calling, by the API key a request presents ({@code X-Api-Key}, or {@code Authorization: Bearer}),
 * against the keys every service reads from the same configuration ({@link ApiKeys}).
 */
public final class ApiKeyAuth {

    public static final String KEY_HEADER = "X-Api-Key";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    public ApiKeyAuth(ApiKeys keys) {
        this.keys = keys;
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
        return presented(ctx).flatMap(keys::authenticate);
    }

    /** Whether the request comes with an operator's key. */
    public boolean operator(Context ctx) {
        return principal(ctx).map(ApiKeys.Principal::operator).orElse(false);
    }

    /** Whoever the presented key belongs to, or a 401 that says what was wrong and how to present a key. */
    public ApiKeys.Principal authenticate(Context ctx) {
        Optional<String> key = presented(ctx);
        if (key.isEmpty()) {
            throw unauthorized(ctx, "no API key: send it as '" + KEY_HEADER + "' or 'Authorization: Bearer'");
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

    private static HttpError unauthorized(Context ctx, String message) {
        ctx.header("WWW-Authenticate", "Bearer");
        return new HttpError(401, message);
    }
}
