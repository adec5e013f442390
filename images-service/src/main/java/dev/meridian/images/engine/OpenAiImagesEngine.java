package dev.meridian.images.engine;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import dev.meridian.images.api.ImagesResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;
import dev.meridian.common.client.OpenAiUpstream;
import dev.meridian.images.client.UpstreamImagesApi;
import dev.meridian.images.config.ImagesConfig;
import io.vertx.core.buffer.Buffer;

/**
 * Forwards to any server speaking OpenAI's Images API (OpenAI, LocalAI, …). It always asks for
 * {@code b64_json} and hands the PNGs back to be stored here, so our URL semantics (signing, expiry,
 * revocation) hold whatever the upstream does with its own URLs.
 */
@ApplicationScoped
public class OpenAiImagesEngine implements ImageEngine {

    public static final String NAME = "openai-compatible";

    private final OpenAiUpstream<UpstreamImagesApi> upstream;

    @Inject
    OpenAiImagesEngine(ImagesConfig config) {
        upstream = new OpenAiUpstream<>("image engine upstream", UpstreamImagesApi.class, config.upstream());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RenderedImage> generate(GenerationSpec spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", spec.upstreamModel());
        body.put("prompt", spec.prompt());
        body.put("n", spec.n());
        body.put("size", spec.width() + "x" + spec.height());
        body.put("response_format", "b64_json");
        if (spec.quality() != null) {
            body.put("quality", spec.quality());
        }
        if (spec.style() != null) {
            body.put("style", spec.style());
        }
        return images(upstream.call((api, auth) -> api.generate(body, auth)), spec.n());
    }

    @Override
    public List<RenderedImage> edit(EditSpec spec) {
        ClientMultipartForm form = common(spec.upstreamModel(), spec.n(), spec.source().getWidth())
                .attribute("prompt", spec.prompt(), null)
                .binaryFileUpload("image", "image.png", Buffer.buffer(Png.encode(spec.source())), "image/png")
                .binaryFileUpload("mask", "mask.png", Buffer.buffer(Png.encode(spec.mask())), "image/png");
        return images(upstream.call((api, auth) -> api.edit(form, auth)), spec.n());
    }

    @Override
    public List<RenderedImage> vary(VariationSpec spec) {
        ClientMultipartForm form = common(spec.upstreamModel(), spec.n(), spec.source().getWidth())
                .binaryFileUpload("image", "image.png", Buffer.buffer(Png.encode(spec.source())), "image/png");
        return images(upstream.call((api, auth) -> api.vary(form, auth)), spec.n());
    }

    private static ClientMultipartForm common(String model, int n, int size) {
        return ClientMultipartForm.create()
                .attribute("model", model, null)
                .attribute("n", Integer.toString(n), null)
                .attribute("size", size + "x" + size, null)
                .attribute("response_format", "b64_json", null);
    }

    /** The upstream's images, which must be exactly n PNGs. */
    private static List<RenderedImage> images(ImagesResponse response, int n) {
        if (response == null || response.data() == null || response.data().size() != n) {
            throw badUpstream("it returned " + (response == null || response.data() == null ? 0 : response.data().size())
                    + " images instead of " + n);
        }
        List<RenderedImage> images = new ArrayList<>(n);
        for (ImagesResponse.Image image : response.data()) {
            if (image.b64Json() == null) {
                throw badUpstream("it returned an image without b64_json");
            }
            byte[] png;
            try {
                png = Base64.getDecoder().decode(image.b64Json());
            } catch (IllegalArgumentException e) {
                throw badUpstream("it returned invalid base64");
            }
            if (!Png.isPng(png)) {
                throw badUpstream("it returned an image that is not a PNG");
            }
            images.add(new RenderedImage(png, image.revisedPrompt()));
        }
        return images;
    }

    private static ApiException badUpstream(String what) {
        return new ApiException(502, ErrorType.SERVER, "The image engine upstream answered unexpectedly: " + what + ".",
                null, null);
    }
}
