package dev.meridian.images.rest;

import java.util.List;

import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import jakarta.ws.rs.core.MediaType;

import dev.meridian.images.service.UploadRequest;

/**
 * The multipart body of edits and variations. Files are spooled to disk by the HTTP layer, never
 * held whole in memory; the image may come as {@code image} or {@code image[]}, as the SDKs send
 * either. Numbers arrive as text and are parsed by the rules, so a bad one is a 400 naming it.
 */
public class ImageUploadForm {

    @RestForm("image")
    public List<FileUpload> image;

    @RestForm("image[]")
    public List<FileUpload> imageArray;

    @RestForm("mask")
    public FileUpload mask;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String prompt;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String model;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String n;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String size;

    @RestForm("response_format")
    @PartType(MediaType.TEXT_PLAIN)
    public String responseFormat;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String user;

    /** What the service needs of the form: the files spooled to disk and the text fields as sent. */
    public UploadRequest toRequest() {
        return new UploadRequest(images().stream().map(ImageUploadForm::upload).toList(), mask == null ? null : upload(mask),
                prompt, model, n, size, responseFormat, user);
    }

    private static UploadRequest.Upload upload(FileUpload file) {
        return new UploadRequest.Upload(file.uploadedFile(), file.size());
    }

    /** The uploaded images, whichever field name carried them. */
    public List<FileUpload> images() {
        List<FileUpload> all = new java.util.ArrayList<>();
        if (image != null) {
            all.addAll(image);
        }
        if (imageArray != null) {
            all.addAll(imageArray);
        }
        return all;
    }
}
