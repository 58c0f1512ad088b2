package org.trapline.config;

import java.util.List;

/** Settings every service that runs a network reads. */
public final class CommonSettings {

    public static final Setting<String> MODELS_DIR = Setting.text("models.dir", "../shared/models",
            "where the stand-in models are looked for when a model's own path is not given");

    public static final List<Setting<?>> ALL = List.of(MODELS_DIR);

    private CommonSettings() {
    }
}
