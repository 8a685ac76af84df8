package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.photo.Photos;

import java.time.Instant;
import java.util.List;

/** 照片采集: the student uploads an ID photo (the JPEG itself as the body) and sees how its review went. */
final class PhotoEndpoints {
    private final Photos photos;

    PhotoEndpoints(Photos photos) {
        this.photos = photos;
    }

    List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/me/photos", Access.STUDENT, this::upload),
                new Route("GET", "/api/v1/me/photos", Access.STUDENT, this::list),
                new Route("GET", "/api/v1/me/card-photo", Access.STUDENT, this::cardPhoto));
    }

    private JsonNode upload(Call c) {
        if (!c.contentType().toLowerCase(java.util.Locale.ROOT).startsWith("image/jpeg")) {
            throw AppError.PHOTO_NOT_JPEG.with("send the photo as the body with Content-Type image/jpeg, got '"
                    + c.contentType() + "'");
        }
        return describe(c, photos.submit(c.accountId(), c.rawBody()));
    }

    private JsonNode list(Call c) {
        ObjectNode out = c.json().createObjectNode();
        ArrayNode items = out.putArray("items");
        for (Photos.Photo p : photos.ofAccount(c.accountId())) {
            items.add(describe(c, p));
        }
        return out;
    }

    private Reply cardPhoto(Call c) {
        Photos.Photo p = photos.cardPhoto(c.accountId())
                .orElseThrow(() -> AppError.NOT_FOUND.with("no approved card photo yet"));
        return new Reply(200, "image/jpeg", photos.jpeg(p.photoId()).orElseThrow());
    }

    static ObjectNode describe(Call c, Photos.Photo p) {
        ObjectNode n = c.json().createObjectNode().put("photo_id", p.photoId()).put("state", p.state().name())
                .put("width", p.width()).put("height", p.height()).put("bytes", p.bytes())
                .put("submitted_at", Instant.ofEpochMilli(p.submittedMs()).toString());
        if (p.reason() != null) {
            n.put("reason", p.reason());
        }
        if (p.reviewedMs() != null) {
            n.put("reviewed_at", Instant.ofEpochMilli(p.reviewedMs()).toString());
        }
        return n;
    }
}
