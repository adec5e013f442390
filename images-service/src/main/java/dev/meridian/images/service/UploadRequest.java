package dev.meridian.images.service;

import java.nio.file.Path;
import java.util.List;

/**
 * An edit or a variation as the HTTP layer received it: the uploaded files (already spooled to disk) and the text
 * fields as sent, parsed and checked by {@link ImageUploads} so that a bad value is a 400 naming its field.
 */
public record UploadRequest(List<Upload> images, Upload mask, String prompt, String model, String n, String size,
        String responseFormat, String user) {

    /** One uploaded file. */
    public record Upload(Path file, long size) {
    }
}
