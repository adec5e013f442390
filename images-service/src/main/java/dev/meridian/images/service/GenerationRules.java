package dev.meridian.images.service;

import java.util.List;

import dev.meridian.images.api.ImageGenerationRequest;
import dev.meridian.common.error.ApiException;
import dev.meridian.images.engine.ImageEngine.GenerationSpec;

/**
 * The generation rules of the reference, per model family: dall-e-3 (prompts up to 4000
 * characters, n=1, three sizes, quality and style) or dall-e-2 (prompts up to 1000, n 1–10, three
 * square sizes). A catalog model whose upstream is dall-e-3 follows dall-e-3's rules.
 */
public final class GenerationRules {

    static final List<String> DALL_E_2_SIZES = List.of("256x256", "512x512", "1024x1024");
    static final List<String> DALL_E_3_SIZES = List.of("1024x1024", "1792x1024", "1024x1792");

    private GenerationRules() {
    }

    /** Fields that do not depend on the model, checked before the catalog is asked. */
    public static String model(ImageGenerationRequest request) {
        if (request.prompt() == null) {
            throw ApiException.invalid("prompt", "Missing required parameter: 'prompt'.");
        }
        return request.model() == null || request.model().isBlank() ? "dall-e-2" : request.model();
    }

    public static GenerationSpec spec(ImageGenerationRequest request, String model, boolean dallE3, String upstreamModel) {
        String family = dallE3 ? "dall-e-3" : "dall-e-2";
        int maxPrompt = dallE3 ? 4000 : 1000;
        String prompt = request.prompt();
        prompt(prompt, maxPrompt, family);
        int n = request.n() == null ? 1 : request.n();
        n(n);
        if (dallE3 && n != 1) {
            throw ApiException.invalid("n", "Invalid 'n': " + family + " supports only n=1, but got " + n + ".");
        }
        String quality = request.quality();
        if (quality != null && !quality.equals("standard") && !quality.equals("hd")) {
            throw ApiException.invalid("quality", "Invalid value for 'quality': '" + quality + "' is not one of 'standard',"
                    + " 'hd'.");
        }
        if (!dallE3 && "hd".equals(quality)) {
            throw ApiException.invalid("quality", "Invalid 'quality': 'hd' is only supported for dall-e-3.");
        }
        String style = request.style();
        if (style != null && !style.equals("vivid") && !style.equals("natural")) {
            throw ApiException.invalid("style", "Invalid value for 'style': '" + style + "' is not one of 'vivid', 'natural'.");
        }
        if (!dallE3 && style != null) {
            throw ApiException.invalid("style", "Invalid 'style': this parameter is only supported for dall-e-3.");
        }
        String size = request.size() == null ? "1024x1024" : request.size();
        List<String> sizes = dallE3 ? DALL_E_3_SIZES : DALL_E_2_SIZES;
        if (!sizes.contains(size)) {
            throw ApiException.invalid("size", "Invalid value for 'size': '" + size + "' is not supported for " + family
                    + ". Supported values are: " + String.join(", ", sizes) + ".");
        }
        responseFormat(request.responseFormat());
        String[] wh = size.split("x");
        return new GenerationSpec(model, prompt, n, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]),
                dallE3 ? (quality == null ? "standard" : quality) : null, dallE3 ? (style == null ? "vivid" : style) : null,
                upstreamModel);
    }

    public static void prompt(String prompt, int max, String family) {
        if (prompt.isEmpty()) {
            throw ApiException.invalid("prompt", "Invalid 'prompt': string too short. Expected a string with minimum length 1,"
                    + " but got an empty string instead.", "string_below_min_length");
        }
        if (prompt.length() > max) {
            throw ApiException.invalid("prompt", "Invalid 'prompt': string too long. Expected a string with maximum length "
                    + max + " for " + family + ", but got a string with length " + prompt.length() + " instead.",
                    "string_above_max_length");
        }
    }

    public static void n(int n) {
        if (n < 1 || n > 10) {
            throw ApiException.invalid("n", "Invalid 'n': expected a value between 1 and 10, but got " + n + " instead.",
                    "integer_out_of_range");
        }
    }

    /** {@code n} as a multipart field: text, parsed here so that a non-number is a 400 naming it. */
    public static int n(String text) {
        if (text == null || text.isBlank()) {
            return 1;
        }
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("n", "Invalid type for 'n': expected an integer.");
        }
        n(n);
        return n;
    }

    /** @return true for {@code b64_json}, false for {@code url} (the default) */
    public static boolean responseFormat(String format) {
        if (format == null || format.equals("url")) {
            return false;
        }
        if (format.equals("b64_json")) {
            return true;
        }
        throw ApiException.invalid("response_format", "Invalid value for 'response_format': '" + format
                + "' is not one of 'url', 'b64_json'.");
    }
}
