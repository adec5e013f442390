package dev.meridian.images.engine;

import java.util.List;

/** A backend that turns a validated generation request into PNG images. */
public interface ImageEngine {

    /** The engine name the catalog binds models to, e.g. {@code procedural}. */
    String name();

    List<RenderedImage> generate(GenerationSpec spec);

    /**
     * Repaints where {@code mask} is fully transparent and leaves every other pixel of the source as
     * it is; source and mask are already at the output size.
     */
    List<RenderedImage> edit(EditSpec spec);

    /** Images that keep the source's composition, each different from the others. */
    List<RenderedImage> vary(VariationSpec spec);

    /** An edit: {@code source} and {@code mask} at the output size, ARGB. */
    record EditSpec(String model, String prompt, int n, java.awt.image.BufferedImage source,
            java.awt.image.BufferedImage mask, String upstreamModel) {
    }

    /** A variation: {@code source} at the output size, ARGB. */
    record VariationSpec(String model, int n, java.awt.image.BufferedImage source, String upstreamModel) {
    }

    /**
     * What to render: {@code n} images of exactly {@code width}x{@code height}. {@code upstreamModel}
     * is the name an upstream engine knows the model by (the catalog's, else the model id).
     */
    record GenerationSpec(String model, String prompt, int n, int width, int height, String quality, String style,
            String upstreamModel) {
    }

    /** One PNG and, for models that rewrite prompts (dall-e-3), the prompt actually used. */
    record RenderedImage(byte[] png, String revisedPrompt) {
    }
}
